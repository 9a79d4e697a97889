build/obj/agent/policy/yaml-tree.o: agent/policy/yaml-tree.c \
 agent/policy/yaml-tree.h agent/base/diag.h agent/base/macro.h
agent/policy/yaml-tree.h:
agent/base/diag.h:
agent/base/macro.h:
