#!/bin/sh
# make bench: kgrind's speed figures (see the issues for the targets).
# Usage: bench.sh <build dir> <baseline build dir>
# The baseline is the same kernel with SLUB and no page annotations,
# booted with one fixed block of RAM: the allocators' cost is the ratio.
set -eu
build=$1
baseline=$2
top=$(cd "$(dirname "$0")/.." && pwd)
kgbench=$build/bench/kgbench
boot_suite=$build/suites/boot/test_boot

echo "== native"
"$kgbench" boot 100000

echo "== I/O, natively, against the host"
"$kgbench" io

echo "== under memcheck"
# shellcheck disable=SC2086
$VALGRIND --log-file=/dev/null "$kgbench" boot 1000 | grep -v "getpid\|process memory"

# Seconds (and peak memory) of the boot suite under memcheck.
# $1: build directory, $2: KGRIND_MEM (empty: the suite's own choice).
suite_under_memcheck() {
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	peak=$(KGRIND_MEM=$2 "$1/bench/kgbench" peak $VALGRIND --log-file=/dev/null \
		"$1/suites/boot/test_boot" | grep "peak")
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc) s, $peak"
}

echo "== the boot suite under memcheck: kgrind's allocators against SLUB and a fixed 64 MiB"
ours=$(suite_under_memcheck "$build" "")
theirs=$(suite_under_memcheck "$baseline" 64)
echo "kgrind slab + hot-plug pages: $ours"
echo "SLUB + fixed block:           $theirs"
echo "ratio: $(echo "scale=2; ${ours%% s,*} / ${theirs%% s,*}" | bc)"
# shellcheck disable=SC2086
KGRIND_MEM=64 $VALGRIND --log-file=/dev/null "$baseline/bench/kgbench" boot 1000 |
	grep "boot to first" | sed 's/^/SLUB + fixed block: /'

echo "== rebuild after touching one host file"
touch "$top/harness/lib/kgrind.c"
start=$(date +%s.%N)
out=$(make -C "$top" suites 2>&1)
end=$(date +%s.%N)
if echo "$out" | grep -q "ARCH=kgrind"; then
	kernel="the kernel build ran"
else
	kernel="no kernel build"
fi
echo "rebuild: $(echo "$end - $start" | bc) s, $kernel"

echo "== make coverage: every suite natively over the coverage kernel, then lcov and genhtml"
start=$(date +%s.%N)
if make -s -C "$top" coverage >/dev/null 2>&1; then verdict="passed"; else verdict="FAILED"; fi
end=$(date +%s.%N)
echo "make coverage (built already): $(echo "$end - $start" | bc) s, $verdict"

repeat=${BENCH_REPEAT:-10}
echo "== make memcheck, $repeat runs: the same verdicts every time?"
first="" differ=0 start=$(date +%s)
for i in $(seq "$repeat"); do
	# Each suite's line without its time: passed, failed, errors, leaks.
	verdict=$(make -s -C "$top" memcheck 2>&1 | sed -n '/summary/,$p' |
		sed 's/ *[0-9.]* s$//')
	if [ -z "$first" ]; then
		first=$verdict
		echo "$verdict" | sed 's/^/  /'
	elif [ "$verdict" != "$first" ]; then
		differ=$((differ + 1))
		echo "  run $i differs:"
		echo "$verdict" | sed 's/^/    /'
	fi
done
echo "repeatability: $((repeat - differ)) of $repeat runs gave the first run's verdicts ($(($(date +%s) - start)) s)"

# Seconds of a clean kernel build in a fresh directory, 2 jobs.
# $1: the compiler (no ccache).
clean_build_seconds() {
	tmp=$(mktemp -d)
	start=$(date +%s)
	# The directory the Makefile gives every kernel build for valgrind's headers.
	mkdir -p "$tmp/valgrind-include"
	ln -sfn /usr/include/valgrind "$tmp/valgrind-include/valgrind"
	make -s -C "$top/build/linux" O="$tmp" ARCH=kgrind CC="$1" \
		KCONFIG_ALLCONFIG="$top/build/kgrind.config" allnoconfig
	make -s -C "$top/build/linux" O="$tmp" ARCH=kgrind CC="$1" -j2 vmlinux >/dev/null
	echo $(($(date +%s) - start))
	rm -rf "$tmp"
}

if [ -n "${BENCH_CLEAN_BUILD:-}" ]; then
	echo "== clean kernel builds (no ccache), 2 jobs"
	echo "clean kernel build: $(clean_build_seconds gcc) s"
	echo "clean coverage kernel build: $(clean_build_seconds "$top/coverage/cc $COV_LIST gcc") s"
fi
