build/obj/tools/hardenctl/verb-groups.o: tools/hardenctl/verb-groups.c \
 agent/policy/syscall-groups.h tools/hardenctl/verbs.h
agent/policy/syscall-groups.h:
tools/hardenctl/verbs.h:
