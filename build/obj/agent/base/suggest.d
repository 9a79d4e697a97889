build/obj/agent/base/suggest.o: agent/base/suggest.c agent/base/suggest.h
agent/base/suggest.h:
