#!/bin/sh
# make bench: kgrind's speed figures (see the issues for the targets).
# Usage: bench.sh <kgbench> <boot suite binary>
set -eu
kgbench=$1
boot_suite=$2
top=$(cd "$(dirname "$0")/.." && pwd)

echo "== native"
"$kgbench" boot 100000

echo "== under memcheck"
# shellcheck disable=SC2086
$VALGRIND --log-file=/dev/null "$kgbench" boot 1000 | grep -v getpid
# shellcheck disable=SC2086
"$kgbench" peak $VALGRIND --log-file=/dev/null "$boot_suite" | grep "peak"

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

if [ -n "${BENCH_CLEAN_BUILD:-}" ]; then
	echo "== clean kernel build (no ccache), 2 jobs"
	tmp=$(mktemp -d)
	start=$(date +%s)
	make -s -C "$top/build/linux" O="$tmp" ARCH=kgrind CC=gcc \
		KCONFIG_ALLCONFIG="$top/harness/arch/configs/kgrind.config" allnoconfig
	make -s -C "$top/build/linux" O="$tmp" ARCH=kgrind CC=gcc -j2 vmlinux >/dev/null
	end=$(date +%s)
	rm -rf "$tmp"
	echo "clean kernel build: $((end - start)) s"
fi
