#!/bin/sh
# Brings one kernel build directory up to date: kbuild runs, and decides
# what to recompile, whenever anything it reads may have changed since its
# last successful run.  That is a file of the kernel tree or of kgrind's
# kernel side newer than the stamp of that run, a .config newer than it,
# a missing vmlinux, or a kbuild command other than last time's.  When
# none of those holds, kbuild would find nothing to do, and we skip its
# few seconds of walking the tree.
# Usage: kernel-build.sh <kobj dir> <kernel tree> <kgrind top> <kbuild command> [suite dir...]
# The suite dirs are the user's (SUITE_DIRS) whose fixtures this kernel builds.
# (changed is given them: a shell function sees only its own arguments.)
set -eu
kobj=$1
tree=$2
top=$3
kbuild=$4
shift 4
stamp=$kobj/.kgrind-kbuild
next=$kobj/.kgrind-kbuild.next

# Kernel-side files outside the tree: the arch port and, through its
# links, the allocators and kgrind's suites' fixtures (host test files are
# not kernel inputs), the user's suites this kernel builds (not all of
# suite-dirs/: other builds' suites), the patches, and the two headers
# shared with host code.  find -L follows arch/kgrind's links; the tree's
# own walk does not need to (its arch/kgrind link is walked here).
changed() {
	[ -f "$kobj/vmlinux" ] && [ -f "$stamp" ] || return 0
	[ "$(cat "$stamp")" = "$kbuild" ] || return 0
	[ "$kobj/.config" -nt "$stamp" ] && return 0
	[ -n "$(find "$tree" -name .git -prune -o -newer "$stamp" -print -quit)" ] && return 0
	[ -n "$(find -L "$top/harness/arch" "$top/harness/patches" \
		"$top/harness/include/kgrind_host_ops.h" "$top/harness/include/kgrind_mem_stats.h" "$@" \
		\( -name 'test_*.c' -o -name 'check_*.c' -o -name '*.md' \
		-o -path "$top/harness/arch/suite-dirs" \) -prune -o \
		-newer "$stamp" -print -quit 2>/dev/null)" ] && return 0
	return 1
}

changed "$@" || exit 0
# Stamped before kbuild reads anything: an edit made during the build is
# newer than the stamp, so the next make builds again.
printf '%s\n' "$kbuild" > "$next"
eval "$kbuild vmlinux"
mv "$next" "$stamp"
