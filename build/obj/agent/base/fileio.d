build/obj/agent/base/fileio.o: agent/base/fileio.c agent/base/fileio.h \
 agent/base/macro.h
agent/base/fileio.h:
agent/base/macro.h:
