# SPDX-License-Identifier: GPL-2.0
#
# physr: build, test and benchmark.
#
#   make          build the library, the tests and the physr command
#   make demo     run `physr demo`
#   make check    run every test suite plainly and under ASan+UBSan,
#                 `physr demo` under both, then `physr topo` and
#                 `physr bench --quick` smoke runs, and the fuzzers'
#                 seeds (clang)
#   make fuzz     run each libFuzzer harness for FUZZ_SECONDS (60)
#   make bench    the full benchmark
#   make kernel-check  the range list and its portable KUnit suites built
#                 and run inside Debian's linux-source-6.12 (UML), and
#                 compiled for x86_64 with W=1 and CONFIG_WERROR, by gcc
#                 and clang (scripts/kernel-check.sh, docs/kernel-build.md)
#
# Two variants are built side by side: build/plain (optimised) and
# build/san (AddressSanitizer + UndefinedBehaviorSanitizer).  Sources are
# picked up by directory, so a new file needs no Makefile change.
#
# The boundary (docs/machine.md).  Every directory holding C is kernel
# side unless it is the machine (sim/) or the test bench (tests/, bench/,
# tools/, scripts/): a new fs/ or drivers/vfio/ is kernel side by default.
# Kernel-side files see include/, arch/sim/include/ and compat/ only, and
# include their private headers relatively ("internal.h"); the machine's
# headers ("sim/...") are out of their reach.  The platform layer and the
# drivers of simulated devices (MACHINE_ACCESS) also get the machine's
# headers.  `make check` then checks what was built
# (scripts/check-boundary.sh): no other kernel-side object references a
# machine symbol, no kernel-side source outside arch/sim/ and compat/
# includes libc headers or uses __builtin_; and it checks the checker.

CC	?= gcc
BUILD	?= build

CFLAGS_BASE := -std=gnu11 -Wall -Wextra -Werror -g -pthread \
	-D_GNU_SOURCE -MMD -MP
KERNEL_INCLUDES := -Iinclude -Iarch/sim/include -Icompat
# "sim/...", "tests/...", "arch/sim/boot.h": from the top of the tree.
MACHINE_INCLUDES := $(KERNEL_INCLUDES) -I.
CFLAGS_plain := -O2
CFLAGS_san := -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_plain :=
LDFLAGS_san := -fsanitize=address,undefined
LDLIBS := -pthread -lm

VARIANTS := plain san

# The kernel side and the machine side: everything the tests and the
# command share.
NON_KERNEL_DIRS := sim tests bench tools scripts build $(BUILD) .git
find_kernel = $(sort $(patsubst ./%,%,$(shell find . \
	\( $(foreach d,$(NON_KERNEL_DIRS),-path './$(d)' -o) -false \) -prune \
	-o -name '$(1)' -print)))
KERNEL_SRCS := $(call find_kernel,*.c)
KERNEL_HDRS := $(call find_kernel,*.h)
MACHINE_SRCS := $(sort $(wildcard sim/*.c))
CORE_SRCS := $(KERNEL_SRCS) $(MACHINE_SRCS)

# Kernel-side code that talks to the machine: the platform layer, and the
# drivers of simulated devices.
MACHINE_ACCESS := arch/sim/%.c drivers/iommu/sim-iommu.c

# A file's include path: the kernel's, unless it may see the machine.
includes = $(if $(filter-out $(MACHINE_ACCESS),$(filter $(KERNEL_SRCS),$(1))),\
	$(KERNEL_INCLUDES),$(MACHINE_INCLUDES))
TEST_SRCS := $(sort $(wildcard tests/kunit/*.c tests/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
TOOL_SRCS := $(sort $(wildcard tools/physr/*.c))

objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

.PHONY: all deps demo check test bench clean boundary boundary-selftest \
	fuzz fuzz-smoke

all: $(BUILD)/plain/physr $(BUILD)/plain/physr-test

# The scatterlist baseline is the real lib/scatterlist.c from Debian's
# linux-source-6.12, compiled with our shim (bench/baseline.mk).
include bench/baseline.mk

define variant_rules
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_BASE) $$(call includes,$$<) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/physr-test: $(call objs,$(1),$(CORE_SRCS) $(TEST_SRCS))
	$$(CC) $$(LDFLAGS_$(1)) $$^ -o $$@ $$(LDLIBS)

$(BUILD)/$(1)/physr: $(call objs,$(1),$(CORE_SRCS) $(BENCH_SRCS) $(TOOL_SRCS)) \
		$(BUILD)/$(1)/baseline/scatterlist.o
	$$(CC) $$(LDFLAGS_$(1)) $$^ -o $$@ $$(LDLIBS)
endef
$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))

demo: $(BUILD)/plain/physr
	$(BUILD)/plain/physr demo

test: $(BUILD)/plain/physr-test
	$(BUILD)/plain/physr-test

# ---- the boundary check -------------------------------------------------

# The platform's own files may use libc; its <asm/...> headers, which every
# kernel-side file includes, may not.
PLATFORM_PRIVATE := $(filter-out arch/sim/include/%,\
	$(filter arch/sim/%,$(KERNEL_SRCS) $(KERNEL_HDRS)))
BOUNDARY_ARGS = $(addprefix -m ,$(call objs,plain,$(MACHINE_SRCS))) \
	$(addprefix -k ,$(call objs,plain,$(filter-out $(MACHINE_ACCESS),$(KERNEL_SRCS)))) \
	$(addprefix -s ,$(filter-out $(PLATFORM_PRIVATE) compat/%,\
		$(KERNEL_SRCS) $(KERNEL_HDRS)))

boundary: $(call objs,plain,$(CORE_SRCS)) boundary-selftest
	@echo "  BOUNDARY  $(words $(filter -k,$(BOUNDARY_ARGS))) objects," \
		"$(words $(filter -s,$(BOUNDARY_ARGS))) sources"
	@scripts/check-boundary.sh $(BOUNDARY_ARGS)

# The checker checked: a kernel-side object referencing a machine symbol
# and a source using libc must fail it, naming the culprit; a clean
# object and source must pass.  Built with the kernel's include path,
# under build/ only.
BST := $(BUILD)/boundary-selftest
BST_SRC := scripts/boundary-selftest

$(BST)/%.o: $(BST_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(KERNEL_INCLUDES) -c $< -o $@

boundary-selftest: $(BST)/machine_ref.o $(BST)/clean.o $(BST)/angle_climb.o \
		$(call objs,plain,$(MACHINE_SRCS))
	@m="$(addprefix -m ,$(call objs,plain,$(MACHINE_SRCS)))"; \
	scripts/check-boundary.sh $$m -k $(BST)/clean.o -s $(BST_SRC)/clean.c || \
		{ echo "boundary self-test: a clean object failed" >&2; exit 1; }; \
	! scripts/check-boundary.sh $$m -k $(BST)/machine_ref.o > $(BST)/out || \
		{ echo "boundary self-test: a machine reference passed" >&2; exit 1; }; \
	grep -q '^$(BST)/machine_ref.o: .*sim_cpu_read' $(BST)/out || \
		{ echo "boundary self-test: culprit not named" >&2; exit 1; }; \
	! scripts/check-boundary.sh -s $(BST_SRC)/libc.c > $(BST)/out || \
		{ echo "boundary self-test: libc use passed" >&2; exit 1; }; \
	test "$$(grep -c '^$(BST_SRC)/libc.c:[0-9]*: ' $(BST)/out)" = 2 || \
		{ echo "boundary self-test: libc lines not named" >&2; exit 1; }; \
	! scripts/check-boundary.sh -k $(BST)/angle_climb.o \
		-s $(BST_SRC)/angle_climb.c > $(BST)/out || \
		{ echo "boundary self-test: <../sim/...> passed" >&2; exit 1; }; \
	grep -q "^$(BST)/angle_climb.o: built from the machine's sim/sim.h" \
		$(BST)/out || \
		{ echo "boundary self-test: machine header not named" >&2; exit 1; }; \
	grep -q '^$(BST_SRC)/angle_climb.c:[0-9]*: include path climbs' \
		$(BST)/out || \
		{ echo "boundary self-test: climbing include not named" >&2; exit 1; }
	@echo "boundary self-test: ok"

check: $(foreach v,$(VARIANTS),$(BUILD)/$(v)/physr-test $(BUILD)/$(v)/physr) \
		boundary
	$(BUILD)/plain/physr-test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(BUILD)/san/physr-test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(BUILD)/san/physr demo >/dev/null
	$(BUILD)/plain/physr demo >/dev/null
	$(BUILD)/plain/physr topo >/dev/null
	$(BUILD)/plain/physr topo --dot >/dev/null
	$(BUILD)/plain/physr bench --quick
	$(MAKE) --no-print-directory fuzz-smoke

bench: $(BUILD)/plain/physr
	$(BUILD)/plain/physr bench

# ---- fuzzing (libFuzzer) --------------------------------------------------
#
# Each tests/fuzz/NAME_fuzz.c is a harness, linked with the kernel side and
# the machine built by clang with ASan and UBSan (build/fuzz/).  `make
# fuzz` runs each for FUZZ_SECONDS from its committed seeds
# (tests/fuzz/corpus/NAME/), writing what it finds under build/fuzz/;
# `make fuzz-smoke` (part of `make check`) runs the seeds and
# FUZZ_SMOKE_SECONDS more.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
CFLAGS_fuzz := -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES := $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(addsuffix _fuzz,$(FUZZ_NAMES)))

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_BASE) $(call includes,$<) $(CFLAGS_fuzz) -c $< -o $@

# Objects of a pattern rule's prerequisites are kept, not intermediate.
.SECONDARY: $(call objs,fuzz,$(CORE_SRCS) $(wildcard tests/fuzz/*_fuzz.c))

$(BUILD)/fuzz/%_fuzz: $(call objs,fuzz,$(CORE_SRCS)) \
		$(BUILD)/fuzz/tests/fuzz/%_fuzz.o
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@ $(LDLIBS)

# $(1): seconds.  Seeds are copied: the fuzzer adds to its corpus dir.
define fuzz_run
	@for n in $(FUZZ_NAMES); do \
		c=$(BUILD)/fuzz/corpus/$$n; mkdir -p $$c; \
		cp tests/fuzz/corpus/$$n/* $$c/ 2>/dev/null; \
		echo "  FUZZ  $$n for $(1) s"; \
		$(BUILD)/fuzz/$${n}_fuzz -max_total_time=$(1) \
			-artifact_prefix=$(BUILD)/fuzz/$$n- $$c 2>&1 | \
			grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|==[0-9]+==ERROR)' \
			; test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
endef

fuzz: SHELL := /bin/bash
fuzz: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: SHELL := /bin/bash
fuzz-smoke: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

# Not a prerequisite of check: it needs linux-source-6.12 and takes
# minutes.  .ci/run runs it after check.
.PHONY: kernel-check
kernel-check:
	BUILD=$(BUILD) scripts/kernel-check.sh

clean:
	rm -rf $(BUILD)

# Not the Linux tree that `make kernel-check` extracts under $(BUILD).
-include $(shell find $(BUILD) -path $(BUILD)/kernel -prune -o \
	-name '*.d' -type f -print 2>/dev/null)
