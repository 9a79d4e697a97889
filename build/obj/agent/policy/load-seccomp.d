build/obj/agent/policy/load-seccomp.o: agent/policy/load-seccomp.c \
 agent/base/parse-util.h agent/policy/load-util.h agent/base/diag.h \
 agent/base/macro.h agent/policy/policy.h agent/policy/yaml-tree.h \
 agent/policy/names.h agent/policy/syscall-groups.h
agent/base/parse-util.h:
agent/policy/load-util.h:
agent/base/diag.h:
agent/base/macro.h:
agent/policy/policy.h:
agent/policy/yaml-tree.h:
agent/policy/names.h:
agent/policy/syscall-groups.h:
