build/obj/agent/policy/syscall-groups.o: agent/policy/syscall-groups.c \
 agent/policy/syscall-groups.h agent/base/macro.h
agent/policy/syscall-groups.h:
agent/base/macro.h:
