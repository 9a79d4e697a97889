# hardend — non-recursive build. Everything lands under build/.
#   make            build build/hardend, build/hardenctl, build/libhardend.a
#   make check      deps + build + every test (SANITIZE=1 for ASan+UBSan)
#   make demo       deps + build + the agent's main job on this machine
#   make bench      benchmarks, figures as ratios against same-run baselines
#   make fuzz       run each fuzz target for FUZZ_SECONDS (default 60)
#   make format / check-format / update-golden / install / clean

CC       ?= gcc
CLANG    ?= clang
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    := build
SANITIZE ?= 0

PKGS := libseccomp libapparmor libcap libnl-3.0 libsystemd yaml-0.1 jansson libgcrypt libbpf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
# zlib: the report test decodes Chromium's PNG screenshots.
CHECK_LIBS   := $(shell pkg-config --libs check zlib 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wmissing-declarations -Wold-style-definition -Wformat=2 -Wformat-security \
        -Wswitch-default -Wpointer-arith -Wundef -Wwrite-strings -Wcast-align \
        -Wnull-dereference -Wvla -Wimplicit-fallthrough -Wno-unused-parameter \
        -Werror=implicit-function-declaration -Werror=return-type
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -D_GNU_SOURCE -fno-strict-aliasing -fstack-protector-strong \
          -Iagent $(WARN) $(PKG_CFLAGS)
LDFLAGS += -pthread
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
else
CFLAGS  += -D_FORTIFY_SOURCE=2
endif

LIB_SRCS    := $(sort $(filter-out agent/daemon/hardend.c,$(wildcard agent/*/*.c)))
DAEMON_SRCS := agent/daemon/hardend.c
CTL_SRCS    := $(sort $(wildcard tools/hardenctl/*.c))
TEST_SRCS   := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz-*.c))
BENCH_SRCS  := $(sort $(wildcard bench/bench-*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB := $(BUILD)/libhardend.a
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

.PHONY: all deps check demo bench fuzz fuzz-smoke format check-format update-golden \
        install clean run-tests validate-profiles valgrind-check

all: $(BUILD)/hardend $(BUILD)/hardenctl

# Rebuild everything when the flags change (e.g. SANITIZE=1 after a plain build).
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

V ?= 0
ifeq ($(V),0)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

$(BUILD)/obj/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The BPF task iterator (agent/posture/bpf/): clang for the BPF target, -g
# for the BTF that libbpf relocates against the running kernel (CO-RE),
# the host's multiarch directory for <asm/types.h> (a BPF target does not
# search it); the object is embedded in the library by the .S file's
# .incbin.
BPF_OBJ := $(BUILD)/bpf/task-iter.bpf.o
BPF_EMBED := agent/posture/bpf/task-iter-embed.S
BPF_CFLAGS := -target bpf -O2 -g -Wall -Wextra -Werror \
              -I/usr/include/$(shell $(CLANG) -print-multiarch 2>/dev/null) \
              $(shell pkg-config --cflags libbpf 2>/dev/null)
$(BPF_OBJ): agent/posture/bpf/task-iter.bpf.c agent/posture/bpf/task-iter-record.h
	@mkdir -p $(dir $@)
	$(call say,BPF,$<)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
$(BUILD)/obj/%.o: %.S $(BPF_OBJ)
	@mkdir -p $(dir $@)
	$(call say,AS,$<)$(CC) -DTASK_ITER_BPF_OBJ='"$(BPF_OBJ)"' -c $< -o $@

$(LIB): $(call obj,$(LIB_SRCS)) $(BUILD)/obj/$(BPF_EMBED:.S=.o)
	@rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

$(BUILD)/hardend: $(call obj,$(DAEMON_SRCS)) $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/hardenctl: $(call obj,$(CTL_SRCS)) $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/tests/unit/%.o: CFLAGS += $(CHECK_CFLAGS) -Itests/unit -Wno-missing-prototypes
# The CLI's pure renderers are tested directly (they are not in the library:
# only hardenctl prints).
TEST_EXTRA_SRCS := tools/hardenctl/daemon-render.c
$(BUILD)/run-tests: $(call obj,$(TEST_SRCS) $(TEST_EXTRA_SRCS)) $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS)

# Fuzzers: the library built once more by clang with coverage for libFuzzer
# (fuzzer-no-link), shared by every target.
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -Iagent $(PKG_CFLAGS) \
               -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB := $(BUILD)/fuzz/libhardend-fuzz.a
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CLANG,$<)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(BUILD)/fuzz/obj/%.o: %.S $(BPF_OBJ)
	@mkdir -p $(dir $@)
	$(call say,AS,$<)$(CLANG) -DTASK_ITER_BPF_OBJ='"$(BPF_OBJ)"' -c $< -o $@
$(FUZZ_LIB): $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(LIB_SRCS)) $(BUILD)/fuzz/obj/$(BPF_EMBED:.S=.o)
	@rm -f $@
	$(call say,AR,$@)ar rcs $@ $^
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) \
		$(PKG_LIBS) -pthread

$(BUILD)/bench/%: bench/%.c bench/bench-util.h $(LIB)
	@mkdir -p $(dir $@)
	$(call say,BENCH,$@)$(CC) $(CFLAGS) -Ibench $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

deps:
	@tools/deps.sh

validate-profiles: $(BUILD)/hardenctl
	$(BUILD)/hardenctl validate profiles/*.yaml

fuzz-smoke: $(FUZZERS)
	@tests/fuzz/run.sh smoke $(FUZZERS)

fuzz: $(FUZZERS)
	@tests/fuzz/run.sh long $(FUZZERS)

# Sanitized code runs several times slower: give Check's timeouts room.
CK_TIMEOUT_MULTIPLIER ?= $(if $(filter 1,$(SANITIZE)),5,1)
run-tests: $(BUILD)/run-tests all
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) HARDEND_BUILDDIR=$(BUILD) $(BUILD)/run-tests

valgrind-check: all
	@tools/valgrind-check.sh

# Check's summary line closes the output: the unit suites run last.
check: deps
	$(MAKE) check-format
	$(MAKE) all $(BUILD)/run-tests
	$(MAKE) validate-profiles
	$(MAKE) fuzz-smoke
	$(if $(filter 1,$(SANITIZE)),,$(MAKE) valgrind-check)
	$(MAKE) run-tests

demo: deps
	$(MAKE) all
	@tools/demo.sh

bench: $(BENCHES) all
	@for b in $(BENCHES); do $$b || exit 1; done

update-golden: all
	@tools/update-golden.sh

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
check-format:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "  FORMAT ok: $(words $(FORMAT_FILES)) files"

# Shipped profiles go to PREFIX/share/hardend/profiles (always refreshed) and
# are copied into /etc/hardend/profiles only where the operator has no file
# of that name yet: a reinstall never overwrites an edited policy.
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	        $(DESTDIR)/etc/hardend/profiles $(DESTDIR)$(PREFIX)/share/doc/hardend \
	        $(DESTDIR)$(PREFIX)/share/hardend/profiles $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0755 $(BUILD)/hardend $(DESTDIR)$(PREFIX)/sbin/hardend
	install -m 0755 $(BUILD)/hardenctl $(DESTDIR)$(PREFIX)/bin/hardenctl
	install -m 0644 profiles/*.yaml $(DESTDIR)$(PREFIX)/share/hardend/profiles/
	install -m 0644 packaging/hardend.yaml $(DESTDIR)$(PREFIX)/share/hardend/hardend.yaml
	for f in profiles/*.yaml; do \
		t=$(DESTDIR)/etc/hardend/profiles/$$(basename $$f); \
		[ -e $$t ] || install -m 0644 $$f $$t; \
	done
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/hardend/
	sed 's|/usr/local/|$(PREFIX)/|g' packaging/systemd/hardend.service \
		> $(DESTDIR)$(PREFIX)/lib/systemd/system/hardend.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/hardend.service

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)
