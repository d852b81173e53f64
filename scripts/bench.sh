#!/bin/sh
# make bench: kgrind's speed figures (see the issues for the targets).
# Usage: bench.sh <build dir> <baseline build dir> <kernel tree> [KSRC]
# The baseline is the same kernel with SLUB and no page annotations,
# booted with one fixed block of RAM: the allocators' cost is the ratio.
set -eu
build=$1
baseline=$2
tree=$3
ksrc=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
kgbench=$build/bench/kgbench
boot_suite=$build/suites/boot/test_boot

echo "== native"
"$kgbench" boot 100000

echo "== I/O, natively, against the host"
"$kgbench" io

echo "== a program's calls: on the host, through kgrind-run's bridge, and under memcheck"
bridge_cost=$build/programs/bench/bridge_cost
"$bridge_cost" 100000 | sed 's/^/host:       /'
"$top/scripts/kgrind-run" --reports "$build/bench/bridge_cost" -- "$bridge_cost" 100000 |
	sed 's/^/kgrind-run: /'
"$top/scripts/kgrind-run" --memcheck --reports "$build/bench/bridge_cost.memcheck" -- \
	"$bridge_cost" 2000 2>/dev/null | sed 's/^/memcheck:   /'

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
if echo "$out" | grep -q "^  CC "; then
	kernel="kernel objects recompiled: $(echo "$out" | grep -c "^  CC ")"
elif echo "$out" | grep -q "Entering directory '$tree'"; then
	kernel="kbuild ran and recompiled nothing"
else
	kernel="no kernel build"
fi
echo "rebuild: $(echo "$end - $start" | bc) s, $kernel"

# Seconds since $1 (date +%s.%N), to a tenth.
since() {
	echo "scale=1; ($(date +%s.%N) - $1) / 1" | bc
}

# From one changed kernel .c to make memcheck SUITES=fs's verdict.  The
# change is real code (a new string), so ccache cannot serve it.  kbuild's
# own lines say when compiling ends (LD vmlinux.o) and linking ends (our
# objcopy of the object); the relink is the object and the suite.
edit_to_verdict() {
	src=$tree/fs/namei.c
	saved=$build/bench/namei.c.orig
	mkdir -p "$build/bench"
	cp "$src" "$saved"
	# Restored with a new date, so kbuild recompiles it (from ccache).
	trap 'cp "$saved" "$src"' EXIT
	echo "const char kgbench_edit_marker[] = \"$(date +%s%N)\";" >> "$src"
	start=$(date +%s.%N)
	make -C "$top" suites SUITES=fs 2>&1 | while IFS= read -r line; do
		case "$line" in
		*"LD      vmlinux.o"*) echo "compile $(since "$start")" ;;
		objcopy*) echo "link $(since "$start")" ;;
		esac
	done > "$build/bench/edit.times"
	built=$(since "$start")
	run_start=$(date +%s.%N)
	if make -s -C "$top" memcheck SUITES=fs >/dev/null 2>&1; then verdict="passed"; else verdict="FAILED"; fi
	ran=$(since "$run_start")
	compiled=$(sed -n 's/^compile //p' "$build/bench/edit.times")
	linked=$(sed -n 's/^link //p' "$build/bench/edit.times")
	echo "edit to verdict: $(echo "$built + $ran" | bc) s: compile ${compiled:-?} s," \
		"kernel link $(echo "${linked:-0} - ${compiled:-0}" | bc) s," \
		"object and suite relink $(echo "$built - ${linked:-0}" | bc) s," \
		"make memcheck SUITES=fs $ran s ($verdict)"
	cp "$saved" "$src"
	trap - EXIT
	start=$(date +%s.%N)
	make -s -C "$top" suites SUITES=fs >/dev/null 2>&1
	echo "edit undone, rebuilt: $(since "$start") s"
}

echo "== edit to verdict: one kernel .c changed (fs/namei.c), then make memcheck SUITES=fs"
if [ -n "$ksrc" ]; then
	echo "skipped: KSRC is your tree, which make bench does not edit"
else
	edit_to_verdict
fi

echo "== no-op make: the kernel build's check when nothing changed"
start=$(date +%s.%N)
make -s -C "$top" suites >/dev/null 2>&1
echo "no-op make suites: $(since "$start") s"

echo "== make coverage: every suite natively over the coverage kernel, then lcov and genhtml"
start=$(date +%s.%N)
if make -s -C "$top" coverage >/dev/null 2>&1; then verdict="passed"; else verdict="FAILED"; fi
end=$(date +%s.%N)
echo "make coverage (built already): $(echo "$end - $start" | bc) s, $verdict"

echo "== make kunit: the KUnit kernel's build (once), then its suites natively and under memcheck"
start=$(date +%s.%N)
make -s -C "$top" kunit-kernel >/dev/null 2>&1
echo "make kunit-kernel: $(since "$start") s"
for mode in native memcheck; do
	start=$(date +%s.%N)
	line=$(make -s -C "$top" kunit MODE=$mode 2>&1 | grep -E "^kunit $mode|^== kunit" | tr '\n' ' ')
	echo "make kunit MODE=$mode: $(since "$start") s: $line"
done

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
	make -s -C "$tree" O="$tmp" ARCH=kgrind CC="$1" \
		KCONFIG_ALLCONFIG="$build/kgrind.config" allnoconfig
	make -s -C "$tree" O="$tmp" ARCH=kgrind CC="$1" -j2 vmlinux >/dev/null
	echo $(($(date +%s) - start))
	rm -rf "$tmp"
}

if [ -n "${BENCH_CLEAN_BUILD:-}" ]; then
	echo "== clean kernel builds (no ccache), 2 jobs"
	echo "clean kernel build: $(clean_build_seconds gcc) s"
	echo "clean coverage kernel build: $(clean_build_seconds "$top/coverage/cc $COV_LIST gcc") s"
fi
