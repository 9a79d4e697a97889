build/obj/agent/policy/policy-print.o: agent/policy/policy-print.c \
 agent/policy/policy-print.h agent/policy/policy.h agent/base/diag.h \
 agent/base/macro.h agent/policy/names.h
agent/policy/policy-print.h:
agent/policy/policy.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/names.h:
