#!/bin/sh
# Captures one suite's run into an lcov tracefile.
# Usage: capture.sh <kernel object dir> <the run's .gcda dir> <suite> <out.info>
set -eu
kobj=$1
data=$2
suite=$3
out=$4

if [ ! -d "$data" ]; then
	echo "kgrind: the $suite suite wrote no coverage data (did its process exit cleanly?)" >&2
	exit 1
fi
# gcov reads each .gcda beside its .gcno, which stayed in the build.
(cd "$kobj" && find . -name '*.gcno') | while read -r gcno; do
	if [ -e "$data/${gcno%.gcno}.gcda" ]; then
		ln -sf "$kobj/${gcno#./}" "$data/$gcno"
	fi
done
# lcov 1.16's geninfo warns of its own redefined subroutines: not ours to show.
if ! lcov --quiet --capture --directory "$data" --test-name "$suite" \
	--output-file "$out" 2>"$out.log"; then
	cat "$out.log" >&2
	exit 1
fi
grep -v "^Subroutine .* redefined at" "$out.log" >&2 || true
rm -f "$out.log"
