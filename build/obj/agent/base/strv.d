build/obj/agent/base/strv.o: agent/base/strv.c agent/base/strv.h
agent/base/strv.h:
