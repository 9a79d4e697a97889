build/obj/tests/unit/test-policy-print.o: tests/unit/test-policy-print.c \
 agent/policy/policy-load.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h agent/policy/policy-print.h tests/unit/testing.h
agent/policy/policy-load.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/policy-print.h:
tests/unit/testing.h:
