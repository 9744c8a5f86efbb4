# SPDX-License-Identifier: GPL-2.0
#
# physr: build, test and benchmark.
#
#   make          build the library, the tests and the physr command
#   make demo     run `physr demo`
#   make check    run every test suite plainly and under ASan+UBSan,
#                 `physr demo` under both, then `physr topo` and
#                 `physr bench --quick` smoke runs
#   make bench    the full benchmark
#
# Two variants are built side by side: build/plain (optimised) and
# build/san (AddressSanitizer + UndefinedBehaviorSanitizer).  Sources are
# picked up by directory, so a new file needs no Makefile change.

CC	?= gcc
BUILD	?= build

CFLAGS_BASE := -std=gnu11 -Wall -Wextra -Werror -g -pthread \
	-D_GNU_SOURCE -Iinclude -Icompat -I. -MMD -MP
CFLAGS_plain := -O2
CFLAGS_san := -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_plain :=
LDFLAGS_san := -fsanitize=address,undefined
LDLIBS := -pthread -lm

VARIANTS := plain san

# The kernel side and the machine side: everything the tests and the
# command share.
CORE_SRCS := $(sort $(wildcard compat/*.c lib/*.c mm/*.c sim/*.c \
	fs/*.c kernel/*.c drivers/*/*.c kernel/*/*.c))
TEST_SRCS := $(sort $(wildcard tests/kunit/*.c tests/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
TOOL_SRCS := $(sort $(wildcard tools/physr/*.c))

objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

.PHONY: all deps demo check test bench clean

all: $(BUILD)/plain/physr $(BUILD)/plain/physr-test

# The scatterlist baseline is the real lib/scatterlist.c from Debian's
# linux-source-6.12, compiled with our shim (bench/baseline.mk).
include bench/baseline.mk

define variant_rules
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_BASE) $$(CFLAGS_$(1)) -c $$< -o $$@

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

check: $(foreach v,$(VARIANTS),$(BUILD)/$(v)/physr-test $(BUILD)/$(v)/physr)
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

bench: $(BUILD)/plain/physr
	$(BUILD)/plain/physr bench

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
