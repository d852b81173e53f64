#!/bin/sh
# make selftest's check that an option given in a wrong form stops make
# before anything runs, with exit status 2 and one line naming the
# option: make's own checks and scripts/check-options.py.  It runs make
# in a copy of the tree without build/, and right forms too, which must
# pass the checks and reach the build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir "$tree"
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$tree" -xf -
# deps.sh is the first thing a build runs: its stand-in says so and stops
# make, so that an option a check lets through builds no kernel here.
printf '#!/bin/sh\necho "check-wrong-options: the build began" >&2\nexit 1\n' > "$tree/scripts/deps.sh"
failed=0

# The options make reads, cleared so that the caller's make or shell
# gives none of them to the runs here.
run() {
	(cd "$tree" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SUITES -u TESTS -u SUITE_DIRS \
		-u KCONFIG_ADD -u KSRC -u TIMEOUT -u NATIVE_TIMEOUT -u NTH -u SHARD \
		-u FRESH -u FORK -u VIRTUAL_TIME -u KGRIND_VIRTUAL_TIME -u MODE -u KUNITCONFIG -u KUNIT_FILTER -u KUNIT_ATTR -u KUNIT_EXPECT -u SUPP \
		-u VGDB -u COVERAGE_BASE -u COVERAGE_DIRS -u BENCH_REPEAT -u BENCH_CLEAN_BUILD \
		-u KGRIND_MEM -u KGRIND_CMDLINE timeout 30 "$@") >"$work/out" 2>"$work/err"
}

fail() {
	echo "check-wrong-options: FAILED: $*"
	sed 's/^/    /' "$work/out" "$work/err" | head -5
	failed=1
}

# $1: the option the line must name; the rest: the command, make and
# its arguments (after env for the environment's options).
wrong() {
	option=$1
	shift
	run "$@"
	status=$?
	lines=$(wc -l < "$work/err")
	if [ "$status" != 2 ] || [ -s "$work/out" ] || [ "$lines" != 1 ]; then
		fail "$* gave exit status $status and $lines line(s), not 2 and one"
	elif ! grep -q -- "\*\*\* kgrind: .*$option" "$work/err"; then
		fail "$*: the line does not name $option"
	elif [ -e "$tree/build" ]; then
		fail "$*: made $(cd "$tree" && find build | head -3 | tr '\n' ' ')"
		rm -rf "$tree/build"
	fi
}

# The command's options have their forms: make goes on to the build.
right() {
	run "$@"
	if grep -q '\*\*\* kgrind:' "$work/err" || ! grep -q 'the build began' "$work/err"; then
		fail "$* did not reach the build"
	fi
	rm -rf "$tree/build"
}

wrong NTH make failsweep NTH=abc
wrong NTH make failsweep NTH=5-2
wrong NTH make failsweep NTH=0
wrong SHARD make failsweep SHARD=x
wrong SHARD make failsweep SHARD=3/2
wrong FRESH make failsweep FRESH=0
wrong TIMEOUT make memcheck TIMEOUT=abc
wrong TIMEOUT make memcheck TIMEOUT=
wrong TIMEOUT make kunit TIMEOUT=1.5
wrong NATIVE_TIMEOUT make native NATIVE_TIMEOUT=-1
wrong FORK make memcheck FORK=yes
wrong VIRTUAL_TIME make native VIRTUAL_TIME=on
wrong MODE make kunit MODE=both
wrong KUNIT_FILTER make kunit "KUNIT_FILTER=a b"
wrong KUNIT_FILTER make kunit KUNIT_FILTER=suite.
wrong KUNIT_ATTR make kunit "KUNIT_ATTR=speed>fast"
wrong KUNIT_ATTR make kunit KUNIT_ATTR=size=1
wrong KUNIT_EXPECT make kunit KUNIT_EXPECT=/nonexistent
wrong TESTS make memcheck "TESTS=fs.a, fs.b"
wrong TESTS make failsweep "TESTS=it's"
wrong SUPP make memcheck SUPP=/nonexistent.supp
wrong VGDB make memcheck VGDB=yes
wrong COVERAGE_BASE make coverage COVERAGE_BASE=/nonexistent.info
wrong BENCH_REPEAT make bench BENCH_REPEAT=0
wrong KSRC make memcheck KSRC=/nonexistent
wrong SUITES make memcheck SUITES=nosuch
wrong KCONFIG_ADD make memcheck KCONFIG_ADD=CONFIG_FOO
wrong KCONFIG_ADD make memcheck KCONFIG_ADD=/nonexistent.config
wrong SUITE_DIRS make memcheck SUITE_DIRS=/nonexistent/mysuite
wrong SUITE_DIRS make memcheck SUITE_DIRS=scripts
wrong KUNITCONFIG make kunit KUNITCONFIG=/nonexistent
wrong KGRIND_MEM env KGRIND_MEM=abc make memcheck
wrong KGRIND_MEM env KGRIND_MEM=12Q make native
wrong KGRIND_MEM make kunit KGRIND_MEM=256,8
wrong KGRIND_CMDLINE env 'KGRIND_CMDLINE=a="b' make memcheck
wrong KGRIND_CMDLINE make failsweep "KGRIND_CMDLINE=$(printf 'x=%0600d' 0)"

right make failsweep NTH=1-40 SHARD=2/8 TIMEOUT=0 FRESH=1 "TESTS=fs.ext4_*,getpid"
right make kunit MODE=native KUNIT_FILTER='list_sort.*' "KUNIT_ATTR=speed>slow, module=test_list_sort"
right env KGRIND_MEM=8,256 "KGRIND_CMDLINE=slab_quarantine=16M page_quarantine=0" make memcheck
# A goal that reads no option checks none.
run make help NTH=abc || fail "make help NTH=abc failed"

[ "$failed" = 0 ] || exit 1
echo "wrong-options check: each wrong option stops make in one line naming it, before anything runs"
