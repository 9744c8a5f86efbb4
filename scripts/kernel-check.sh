#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make kernel-check: build the portable core and its KUnit suites inside
# Debian's linux-source-6.12 and run them (docs/kernel-build.md).
#
#  1. extract /usr/src/linux-source-6.12.tar.xz under build/kernel/ (once);
#  2. add our files and the glue we write (scripts/kernel-check/: Kconfig
#     entries, lib/Makefile lines, the kernel's <kunit/portable.h>) to it;
#  3. scripts/kernel-doc -Wall on the public headers, checkpatch.pl
#     --strict on the portable files: no warning allowed;
#  4. UML with tools/testing/kunit/kunit.py and a minimal .kunitconfig:
#     the KTAP results and kunit.py's summary;
#  5. x86_64 with W=1 and CONFIG_WERROR=y, with gcc and with clang: the
#     portable objects only.
#
# Nothing from the kernel is committed; everything it makes is under
# build/kernel/.  JOBS (default: nproc) sets make's parallelism, and
# KERNEL_CHECK_STEPS (default "doc uml x86-gcc x86-clang") which steps run.
set -euo pipefail
cd "$(dirname "$0")/.."

TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
OUT=$(realpath -m "${BUILD:-build}/kernel")
SRC=$OUT/linux-source-6.12
GLUE=scripts/kernel-check
JOBS=${JOBS:-$(nproc)}
STEPS=${KERNEL_CHECK_STEPS:-doc uml x86-gcc x86-clang}
START=$SECONDS

# Our files and where they go in the tree: the portable core, the header
# a patch series would add for it, and the portable suites.
PORTABLE=(
	lib/physr.c:lib/physr.c
	include/linux/physr.h:include/linux/physr.h
	include/linux/p2pdma_provider.h:include/linux/p2pdma_provider.h
	tests/physr_list_test.c:lib/physr_list_test.c
	tests/physr_test.h:lib/physr_test.h
	$GLUE/include/kunit/portable.h:include/kunit/portable.h
	$GLUE/Kconfig:lib/Kconfig.physr
)
PUBLIC_HEADERS=(include/linux/physr.h include/linux/p2pdma_provider.h)
CHECKPATCH_FILES=(lib/physr.c include/linux/physr.h
		  include/linux/p2pdma_provider.h)

say() { printf '  %-9s %s\n' "$1" "$2"; }
die() { echo "kernel-check: $*" >&2; exit 1; }

extract() {
	[ -f "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.12)"
	if [ ! -f "$OUT/.extracted" ]; then
		say EXTRACT "$TARBALL"
		rm -rf "$SRC"
		mkdir -p "$OUT"
		tar -C "$OUT" -xJf "$TARBALL"
		touch "$OUT/.extracted"
	fi
}

# Copy only what changed, so that make rebuilds only that.
install_file() {
	cmp -s "$1" "$2" || cp "$1" "$2"
}

add_line() {
	grep -qxF "$2" "$1" || printf '%s\n' "$2" >> "$1"
}

apply_glue() {
	local pair
	for pair in "${PORTABLE[@]}"; do
		install_file "${pair%%:*}" "$SRC/${pair#*:}"
	done
	add_line "$SRC/lib/Kconfig" 'source "lib/Kconfig.physr"'
	while read -r line; do
		add_line "$SRC/lib/Makefile" "$line"
	done < "$GLUE/Makefile.lib"
}

check_docs() {
	local out=$OUT/doc.log f

	say KDOC "${PUBLIC_HEADERS[*]} lib/physr.c"
	: > "$out"
	for f in "${PUBLIC_HEADERS[@]}" lib/physr.c; do
		"$SRC/scripts/kernel-doc" -Wall -none "$f" >> "$out" 2>&1
	done
	if [ -s "$out" ]; then
		cat "$out"
		die "kernel-doc -Wall warned"
	fi
	# Iterators reuse their cursor argument, as list_for_each_entry()
	# does: MACRO_ARG_REUSE is the one check not asked for.
	say CHECKPATCH "${CHECKPATCH_FILES[*]}"
	"$SRC/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore MACRO_ARG_REUSE \
		-f "${CHECKPATCH_FILES[@]}" > "$out" 2>&1 || {
		cat "$out"
		die "checkpatch.pl --strict warned"
	}
}

run_uml() {
	local dir=$OUT/uml log=$OUT/uml.ktap
	local kunit=(python3 "$SRC/tools/testing/kunit/kunit.py")

	say KUNIT "UML, $GLUE/kunitconfig"
	mkdir -p "$dir"
	(cd "$SRC" && "${kunit[@]}" build --build_dir="$dir" \
		--kunitconfig="$OLDPWD/$GLUE/kunitconfig" --jobs="$JOBS" \
		> "$OUT/uml-build.log" 2>&1) || {
		tail -40 "$OUT/uml-build.log"
		die "UML build failed ($OUT/uml-build.log)"
	}
	(cd "$SRC" && "${kunit[@]}" exec --build_dir="$dir" \
		--raw_output=kunit --timeout=1200) > "$log" 2>&1 || true
	cat "$log"
	"${kunit[@]}" parse "$log" > "$OUT/uml.summary" 2>&1 || {
		tail -20 "$OUT/uml.summary"
		die "KUnit under UML failed"
	}
	grep -E 'Testing complete' "$OUT/uml.summary" | sed 's/^\[[^]]*\] //'
}

# $1: name, then make variables (LLVM=1 ...)
build_x86() {
	local name=$1 dir=$OUT/$1
	shift

	say BUILD "x86_64 $name W=1 CONFIG_WERROR=y: lib/physr.o lib/physr_list_test.o"
	mkdir -p "$dir"
	{
		make -C "$SRC" O="$dir" ARCH=x86_64 "$@" defconfig &&
		"$SRC/scripts/config" --file "$dir/.config" \
			-e WERROR -e KUNIT -e PHYSR_KUNIT_TEST \
			-e DEBUG_KERNEL -e FAULT_INJECTION -e FAILSLAB &&
		make -C "$SRC" O="$dir" ARCH=x86_64 "$@" olddefconfig &&
		grep -qx 'CONFIG_PHYSR=y' "$dir/.config" &&
		make -C "$SRC" O="$dir" ARCH=x86_64 "$@" -j"$JOBS" W=1 \
			lib/physr.o lib/physr_list_test.o
	} > "$OUT/$name.log" 2>&1 || {
		tail -40 "$OUT/$name.log"
		die "x86_64 $name build failed ($OUT/$name.log)"
	}
	if grep -E 'warning:' "$OUT/$name.log"; then
		die "x86_64 $name build warned"
	fi
}

extract
apply_glue
for step in $STEPS; do
	t0=$SECONDS
	case $step in
	doc)		check_docs ;;
	uml)		run_uml ;;
	x86-gcc)	build_x86 x86-gcc ;;
	x86-clang)	build_x86 x86-clang LLVM=1 ;;
	*)		die "unknown step $step" ;;
	esac
	say TIME "$step: $((SECONDS - t0)) s"
done
echo "kernel-check: ok ($STEPS) in $((SECONDS - START)) s"
