build/obj/agent/policy/load-match.o: agent/policy/load-match.c \
 agent/base/path-glob.h agent/policy/load-util.h agent/base/diag.h \
 agent/base/macro.h agent/policy/policy.h agent/policy/yaml-tree.h
agent/base/path-glob.h:
agent/policy/load-util.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/yaml-tree.h:
