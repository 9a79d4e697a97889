build/obj/agent/policy/load-posture.o: agent/policy/load-posture.c \
 agent/base/path-glob.h agent/policy/load-util.h agent/base/diag.h \
 agent/base/macro.h agent/policy/policy.h agent/policy/yaml-tree.h \
 agent/policy/names.h
agent/base/path-glob.h:
agent/policy/load-util.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/yaml-tree.h:
agent/policy/names.h:
