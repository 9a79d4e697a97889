build/obj/agent/policy/load-util.o: agent/policy/load-util.c \
 agent/policy/load-util.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h agent/policy/yaml-tree.h agent/base/suggest.h
agent/policy/load-util.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/yaml-tree.h:
agent/base/suggest.h:
