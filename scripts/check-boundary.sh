#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel/machine boundary, checked on what was built (docs/machine.md).
#
#   check-boundary.sh [-m MACHINE_OBJ]... [-k KERNEL_OBJ]... [-s KERNEL_SRC]...
#
#   -m  an object of the machine (sim/): its defined global symbols are
#       the machine's
#   -k  an object of the kernel side that may not talk to the machine
#       (not arch/sim/, not a simulated device's driver): none of its
#       undefined symbols may be a machine symbol, and none of the headers
#       its dependency file (the .d beside it, from -MMD) lists may be
#       under sim/, however the include reached it
#   -s  a kernel-side source or header outside compat/ and the platform's
#       own files (arch/sim/ but its <asm/...> headers): it
#       may not include <string.h>, <sys/mman.h>, <stdarg.h>, <stdio.h>,
#       <stdlib.h> or <pthread.h> (the <linux/...> stand-ins exist), use a
#       __builtin_ (prefetch(), __ffs64() and friends exist), or include a
#       header by a path that climbs out of its directory ("../" between
#       quotes or angle brackets)
#
# Prints one line per violation, naming the object and symbol or the file
# and line, and exits 1 if there was any; 0 otherwise.  2 on bad usage.

set -euo pipefail

machine=() kernel=() sources=()
while getopts "m:k:s:" opt; do
	case $opt in
	m) machine+=("$OPTARG") ;;
	k) kernel+=("$OPTARG") ;;
	s) sources+=("$OPTARG") ;;
	*) echo "usage: $0 [-m OBJ]... [-k OBJ]... [-s SRC]..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 0 ]; then
	echo "$0: unexpected argument: $1" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

# The machine's symbols: every global it defines.
: > "$tmp/machine"
if [ ${#machine[@]} -gt 0 ]; then
	nm -g --defined-only "${machine[@]}" 2>/dev/null |
		awk 'NF == 3 { print $3 }' | sort -u > "$tmp/machine"
fi

for obj in ${kernel[@]+"${kernel[@]}"}; do
	if [ ! -f "$obj" ]; then
		echo "$obj: no such object" >&2
		exit 2
	fi
	nm -u "$obj" | awk '{ print $NF }' | sort -u |
		comm -12 - "$tmp/machine" > "$tmp/refs"
	while read -r sym; do
		echo "$obj: references the machine's $sym (only arch/sim/ and simulated devices' drivers may)"
		bad=1
	done < "$tmp/refs"

	# The headers it was built from, each path made plain ("include/../
	# sim/x.h" is sim/x.h): none may be the machine's.
	dep="${obj%.o}.d"
	[ -f "$dep" ] || continue
	sed -e 's/\\$//' -e 's/^[^:]*://' "$dep" | tr ' ' '\n' |
		grep -v '^$' | sort -u |
		xargs -r realpath -m --relative-to=. > "$tmp/deps"
	grep -E '^sim/' "$tmp/deps" > "$tmp/hits" || true
	while read -r hdr; do
		echo "$obj: built from the machine's $hdr (only arch/sim/ and simulated devices' drivers may)"
		bad=1
	done < "$tmp/hits"
done

libc='(string|stdarg|stdio|stdlib|pthread|sys/mman)\.h'
for src in ${sources[@]+"${sources[@]}"}; do
	if grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]$libc[>\"]" "$src" > "$tmp/hits"; then
		sed "s|^\([0-9]*\):.*|$src:\1: libc header on the kernel side (use the <linux/...> one)|" "$tmp/hits"
		bad=1
	fi
	if grep -nE '__builtin_' "$src" > "$tmp/hits"; then
		sed "s|^\([0-9]*\):.*|$src:\1: __builtin_ on the kernel side (use the kernel's helper)|" "$tmp/hits"
		bad=1
	fi
	if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]*\.\./' "$src" > "$tmp/hits"; then
		sed "s|^\([0-9]*\):.*|$src:\1: include path climbs out of its directory|" "$tmp/hits"
		bad=1
	fi
done

exit $bad
