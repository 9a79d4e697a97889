build/obj/agent/policy/policy-load.o: agent/policy/policy-load.c \
 agent/policy/policy-load.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h agent/base/fileio.h agent/policy/load-util.h \
 agent/policy/yaml-tree.h
agent/policy/policy-load.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/base/fileio.h:
agent/policy/load-util.h:
agent/policy/yaml-tree.h:
