#!/bin/sh
# make selftest's check of kernel-build.sh's decision, on a stand-in
# build whose "kbuild" only records that it ran: a fixture edited in a
# suite of the user's (SUITE_DIRS) sends make into kbuild, and with
# nothing edited kbuild is skipped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kobj" "$work/tree" "$work/mysuite"
kbuild="touch $work/ran #"
printf 'x\n' > "$work/tree/Makefile"
printf 'x\n' > "$work/mysuite/mysuite_fixtures.c"
printf 'x\n' > "$work/kobj/.config"
# The last kbuild run stamped in the future: kgrind's own kernel-side
# files, however recently edited, are older than it.
touch -d '1 hour ago' "$work/tree/Makefile" "$work/mysuite/mysuite_fixtures.c" "$work/kobj/.config"
printf '%s\n' "$kbuild" > "$work/kobj/.kgrind-kbuild"
touch -d '1 hour' "$work/kobj/.kgrind-kbuild"
touch "$work/kobj/vmlinux"

build() {
	rm -f "$work/ran"
	"$top/scripts/kernel-build.sh" "$work/kobj" "$work/tree" "$top" "$kbuild" "$work/mysuite"
	[ -f "$work/ran" ]
}

if build; then
	echo "kernel-build.sh check: FAILED: kbuild ran though nothing had changed"
	exit 1
fi
touch -d '2 hours' "$work/mysuite/mysuite_fixtures.c"
if ! build; then
	echo "kernel-build.sh check: FAILED: an edited SUITE_DIRS fixture did not send make into kbuild"
	exit 1
fi
echo "kernel-build.sh check: an edited fixture of the user's suite rebuilds; nothing edited, kbuild skipped"
