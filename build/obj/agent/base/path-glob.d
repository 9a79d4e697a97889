build/obj/agent/base/path-glob.o: agent/base/path-glob.c \
 agent/base/path-glob.h
agent/base/path-glob.h:
