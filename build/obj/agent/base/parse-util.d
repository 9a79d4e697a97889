build/obj/agent/base/parse-util.o: agent/base/parse-util.c \
 agent/base/parse-util.h
agent/base/parse-util.h:
