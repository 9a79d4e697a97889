build/obj/agent/policy/load-apparmor.o: agent/policy/load-apparmor.c \
 agent/base/path-glob.h agent/policy/load-util.h agent/base/diag.h \
 agent/base/macro.h agent/policy/policy.h agent/policy/yaml-tree.h
agent/base/path-glob.h:
agent/policy/load-util.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/yaml-tree.h:
