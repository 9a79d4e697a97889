build/obj/agent/policy/names.o: agent/policy/names.c agent/policy/names.h \
 agent/base/macro.h agent/policy/policy.h agent/base/diag.h
agent/policy/names.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/base/diag.h:
