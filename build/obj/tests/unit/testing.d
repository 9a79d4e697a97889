build/obj/tests/unit/testing.o: tests/unit/testing.c tests/unit/testing.h \
 agent/base/macro.h
tests/unit/testing.h:
agent/base/macro.h:
