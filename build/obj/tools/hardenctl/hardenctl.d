build/obj/tools/hardenctl/hardenctl.o: tools/hardenctl/hardenctl.c \
 agent/base/macro.h tools/hardenctl/verbs.h
agent/base/macro.h:
tools/hardenctl/verbs.h:
