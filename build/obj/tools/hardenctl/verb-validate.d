build/obj/tools/hardenctl/verb-validate.o: \
 tools/hardenctl/verb-validate.c agent/policy/policy-load.h \
 agent/base/diag.h agent/base/macro.h agent/policy/policy.h \
 agent/policy/policy-print.h tools/hardenctl/verbs.h
agent/policy/policy-load.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/policy-print.h:
tools/hardenctl/verbs.h:
