build/obj/agent/daemon/hardend.o: agent/daemon/hardend.c \
 agent/policy/policy-set.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h
agent/policy/policy-set.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
