build/obj/tests/unit/test-base.o: tests/unit/test-base.c \
 agent/base/diag.h agent/base/macro.h agent/base/fileio.h \
 agent/base/parse-util.h agent/base/path-glob.h agent/base/strv.h \
 agent/base/suggest.h tests/unit/testing.h
agent/base/diag.h:
agent/base/macro.h:
agent/base/fileio.h:
agent/base/parse-util.h:
agent/base/path-glob.h:
agent/base/strv.h:
agent/base/suggest.h:
tests/unit/testing.h:
