build/obj/tests/unit/test-policy-load.o: tests/unit/test-policy-load.c \
 agent/policy/policy-load.h agent/base/diag.h agent/base/macro.h \
 agent/policy/policy.h tests/unit/testing.h
agent/policy/policy-load.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
tests/unit/testing.h:
