build/obj/agent/policy/policy-set.o: agent/policy/policy-set.c \
 agent/policy/policy-set.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h agent/policy/policy-load.h
agent/policy/policy-set.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/policy-load.h:
