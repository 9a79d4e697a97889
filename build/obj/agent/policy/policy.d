build/obj/agent/policy/policy.o: agent/policy/policy.c \
 agent/policy/policy.h agent/base/diag.h agent/base/macro.h
agent/policy/policy.h:
agent/base/diag.h:
agent/base/macro.h:
