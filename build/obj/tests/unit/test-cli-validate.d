build/obj/tests/unit/test-cli-validate.o: tests/unit/test-cli-validate.c \
 agent/policy/syscall-groups.h agent/policy/names.h agent/policy/policy.h \
 agent/base/diag.h agent/base/macro.h tests/unit/testing.h
agent/policy/syscall-groups.h:
agent/policy/names.h:
agent/policy/policy.h:
agent/base/diag.h:
agent/base/macro.h:
tests/unit/testing.h:
