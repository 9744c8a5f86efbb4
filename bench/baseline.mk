# SPDX-License-Identifier: GPL-2.0
#
# The scatterlist baseline: the kernel's own lib/scatterlist.c, from
# Debian's linux-source-6.12, compiled at build time against our shim
# (bench/sgshim/).  No kernel source is ever kept in this repository: the
# few files needed are extracted from the installed tarball into
# $(BUILD)/kernel-src/.
#
#   make deps      install linux-source-6.12 if its tarball is missing
#
# Per variant v (plain, san), $(BUILD)/v/baseline/scatterlist.o is one
# relocatable object made of lib/scatterlist.c and bench/sgshim/sg_glue.c,
# with only the sgb_* symbols of bench/sg_baseline.h left global.  It takes
# from compat/ kmalloc(), kmalloc_array(), kfree(), __compat_warn(),
# __compat_bug() and printk(); from arch/sim/ vmemmap; from bench/sg_baseline.c
# the direct-map hooks of bench/sgshim/sgb_abi.h.
#
# Included by the top Makefile, after CFLAGS_<variant> and VARIANTS.

KSRC_PKG	:= linux-source-6.12
KSRC_TAR	?= /usr/src/$(KSRC_PKG).tar.xz
KSRC_DIR	:= $(BUILD)/kernel-src
KSRC_STAMP	:= $(KSRC_DIR)/.extracted
# Makefile only for the version of what we compiled.
KSRC_FILES	:= lib/scatterlist.c include/linux/scatterlist.h Makefile

OBJCOPY		?= objcopy

SGSHIM		:= bench/sgshim
SGSHIM_HDRS	:= $(shell find $(SGSHIM) -name '*.h')

# The kernel's C dialect (the -f flags its top Makefile sets for every
# file), then the shim alone in the include path: no kernel header is
# there except the extracted scatterlist.h.  The optimisation flags are the
# variant's, as for our code.
SGB_CFLAGS	:= -std=gnu11 -g -fno-strict-aliasing -fno-common \
	-fno-delete-null-pointer-checks -fno-strict-overflow \
	-D__KERNEL__ -I$(SGSHIM) -I$(KSRC_DIR)/include \
	-include linux/kconfig.h -MMD -MP
# lib/scatterlist.c is not ours, so no -Werror; but the kernel's own
# warning set, with its hard errors: a shim gap must never compile into an
# implicit declaration.
SGB_KERNEL_WARN	:= -Wall -Wundef -Wno-sign-compare \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=return-type -Werror=strict-prototypes \
	-Werror=incompatible-pointer-types -Werror=int-conversion
SGB_GLUE_WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-sign-compare

.PHONY: deps
deps: $(KSRC_TAR)

# Installing the package is the only thing this target does; the tarball's
# mtime then drives re-extraction.
$(KSRC_TAR):
	@echo "  DEPS    $(KSRC_PKG): $@ is missing, installing the package"
	@if ! command -v apt-get >/dev/null 2>&1; then \
		echo "error: $@ is missing and apt-get is not available;" \
		     "install Debian's $(KSRC_PKG) package" >&2; \
		exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then \
		sudo=; \
	elif command -v sudo >/dev/null 2>&1; then \
		sudo=sudo; \
	else \
		echo "error: $@ is missing; run as root:" \
		     "apt-get install $(KSRC_PKG)" >&2; \
		exit 1; \
	fi; \
	$$sudo apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y $(KSRC_PKG)
	@test -f $@ || { echo "error: $(KSRC_PKG) installed no $@" >&2; exit 1; }

# One pass over the tarball (about 10 s: it is one xz stream).  -m gives the
# files the extraction time, so they are newer than anything built before.
$(KSRC_STAMP): $(KSRC_TAR) bench/baseline.mk
	@echo "  EXTRACT $(addprefix $(KSRC_PKG)/,$(KSRC_FILES))"
	@rm -rf $(KSRC_DIR)
	@mkdir -p $(KSRC_DIR)
	@tar -xJ -m --occurrence=1 -f $(KSRC_TAR) -C $(KSRC_DIR) \
		--strip-components=1 $(addprefix $(KSRC_PKG)/,$(KSRC_FILES))
	@for f in $(KSRC_FILES); do \
		test -f $(KSRC_DIR)/$$f || \
		{ echo "error: $(KSRC_TAR) has no $(KSRC_PKG)/$$f" >&2; \
		  exit 1; }; \
	done
	@v=$$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = /./p; \
		s/^SUBLEVEL = /./p' $(KSRC_DIR)/Makefile | head -3 | tr -d '\n'); \
	pkg=$$(dpkg-query -W -f='$${Version}' $(KSRC_PKG) 2>/dev/null); \
	[ -n "$$pkg" ] && v="$$v (Debian $$pkg)"; \
	printf '#define SGB_KERNEL_VERSION "%s"\n' "$$v" \
		> $(KSRC_DIR)/sgb_version.h
	@touch $@

$(KSRC_DIR)/lib/scatterlist.c $(KSRC_DIR)/include/linux/scatterlist.h \
$(KSRC_DIR)/sgb_version.h: $(KSRC_STAMP)

define baseline_rules
$(BUILD)/$(1)/baseline/lib/scatterlist.o: $(KSRC_DIR)/lib/scatterlist.c \
		$(KSRC_STAMP) $(SGSHIM_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(SGB_CFLAGS) $$(SGB_KERNEL_WARN) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/baseline/sg_glue.o: $(SGSHIM)/sg_glue.c $(KSRC_STAMP) \
		$(SGSHIM_HDRS) bench/sg_baseline.h
	@mkdir -p $$(@D)
	$$(CC) $$(SGB_CFLAGS) $$(SGB_GLUE_WARN) $$(CFLAGS_$(1)) \
		-include $(KSRC_DIR)/sgb_version.h -c $$< -o $$@

# One object, and of its globals only the sgb_* interface: the kernel's
# sg_* names stay local and can never collide with ours.
$(BUILD)/$(1)/baseline/scatterlist.o: \
		$(BUILD)/$(1)/baseline/lib/scatterlist.o \
		$(BUILD)/$(1)/baseline/sg_glue.o
	$$(LD) -r $$^ -o $$@.tmp
	$$(OBJCOPY) --wildcard --keep-global-symbol='sgb_*' $$@.tmp $$@
	@rm -f $$@.tmp
endef
$(foreach v,$(VARIANTS),$(eval $(call baseline_rules,$(v))))
