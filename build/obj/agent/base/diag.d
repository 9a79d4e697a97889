build/obj/agent/base/diag.o: agent/base/diag.c agent/base/diag.h \
 agent/base/macro.h
agent/base/diag.h:
agent/base/macro.h:
