# SPDX-License-Identifier: GPL-2.0-only
#
# buddytrace: one non-recursive Makefile.
#
# Each folder is a static library built from its *.c except cmd-*.c, which
# belong to the command layer and link into ./buddytrace only. Sources are
# found by wildcard so adding a file needs no edit here. Unit tests are
# tests/test-*.c, one binary each; CLI tests are tests/cli/*.sh.
#
#   make                      ./buddytrace
#   make check                unit, CLI and corpus tests
#   make SANITIZE=address,undefined check
#   make bench                performance figures beside their references
#   make fuzz                 libFuzzer binaries (clang) in build/fuzz/
#   make demo                 install what is missing, build, analyze a trace
#   make install PREFIX=/usr/local DESTDIR=
#   V=1                       show commands

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
WERROR ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := libtraceevent >= 1.7 libtracefs >= 1.6 libtracecmd >= 1.3 \
	libzstd >= 1.5 libdw >= 0.188 jansson >= 2.14
TEST_PKGS := cmocka >= 1.1

PKG_NAMES := libtraceevent libtracefs libtracecmd libzstd libdw jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_NAMES) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKG_NAMES) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wvla -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -I. $(PKG_CFLAGS) \
	-MMD -MP
ifneq ($(WERROR),)
ALL_CFLAGS += -Werror
endif
ALL_LDFLAGS := $(LDFLAGS)

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
BUILD := build/san
BT := $(BUILD)/buddytrace
else
BUILD := build/rel
BT := buddytrace
endif

# `make fuzz` re-enters with FUZZ=1: clang, every object instrumented for
# libFuzzer, ASan and UBSan, all in build/fuzz/ (see tests/fuzz/README).
ifneq ($(FUZZ),)
CC := clang
FUZZ_SAN := address,undefined
ALL_CFLAGS += -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=fuzzer,$(FUZZ_SAN)
BUILD := build/fuzz
BT := $(BUILD)/buddytrace
endif

# Link order: dependents before dependencies.
MODULES := analyze replay record traces allocator common
lib_srcs = $(filter-out $(1)/cmd-%.c,$(wildcard $(1)/*.c))
LIBS := $(foreach m,$(MODULES),$(BUILD)/lib$(m).a)
CMD_SRCS := $(foreach m,$(MODULES),$(wildcard $(m)/cmd-*.c))
MAIN_OBJS := $(BUILD)/buddytrace.o $(CMD_SRCS:%.c=$(BUILD)/%.o)

TEST_SRCS := $(wildcard tests/test-*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER_SRCS := $(wildcard tests/helpers/*.c)
TEST_HELPERS := $(TEST_HELPER_SRCS:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
CLI_TESTS := $(wildcard tests/cli/*.sh)

.PHONY: all check unit-check cli-check bench demo install clean deps-check \
	fuzz-check fuzz fuzz-bins
all: deps-check $(BT)

deps-check:
	@pkg-config --exists '$(PKGS)' || { \
	  echo "buddytrace: missing build dependencies; run as root:"; \
	  echo "  $$(sh tests/deps.sh --print)"; exit 1; }

define lib_rule
$(BUILD)/lib$(1).a: $$(patsubst %.c,$(BUILD)/%.o,$$(call lib_srcs,$(1)))
	@mkdir -p $$(dir $$@)
	$$(Q)rm -f $$@
	$$(if $$(Q),@echo "  AR      $$@")
	$$(Q)ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call lib_rule,$(m))))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BT): $(MAIN_OBJS) $(LIBS)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJS) $(LIBS) $(PKG_LIBS) -lpthread -lm

$(BUILD)/tests/%: tests/%.c $(LIBS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS) \
		$(PKG_LIBS) $(TEST_LIBS) -lpthread -lm

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O2 -Wall -o $@ $<

# Fuzz targets (tests/fuzz/fuzz-<target>.c). For `make check` each is
# linked with tests/fuzz/driver.c by the normal compiler and runs like a
# unit test over its corpus, tests/fuzz/corpus/<target>/ (the driver finds
# it from its own name). `make fuzz` builds the same targets as libFuzzer
# binaries in build/fuzz/ for long runs; see tests/fuzz/README.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_CHECK_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIBS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/driver.c \
		$(LIBS) $(PKG_LIBS) -lpthread -lm

$(BUILD)/fuzz-%: tests/fuzz/fuzz-%.c $(LIBS)
	$(if $(Q),@echo "  FUZZ-LD $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS) $(PKG_LIBS) \
		-lpthread -lm

fuzz:
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
fuzz-bins: $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/%)
fuzz-check: $(FUZZ_CHECK_BINS)
	$(Q)sh tests/run.sh $(FUZZ_CHECK_BINS) --

# Unit tests print cmocka's summary; CLI tests one line each; the runner
# adds the closing "N passed, N failed" line. The fuzz corpora run among
# the unit tests.
check: all $(BT) $(TEST_BINS) $(TEST_HELPERS) $(FUZZ_CHECK_BINS)
	$(Q)BT=$(BT) BUILD=$(BUILD) sh tests/run.sh $(TEST_BINS) \
		$(FUZZ_CHECK_BINS) -- $(CLI_TESTS)

bench: all
	$(Q)BT=$(BT) sh bench/run.sh

demo:
	$(Q)sh tests/deps.sh --install
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/demo.sh ./buddytrace

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 buddytrace $(DESTDIR)$(PREFIX)/bin/buddytrace
	install -m 644 $(wildcard docs/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard docs/*.5) $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf build buddytrace

-include $(shell find build -name '*.d' 2>/dev/null)
