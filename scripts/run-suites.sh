#!/bin/sh
# Runs suite binaries natively or under memcheck ($VALGRIND), one after
# another; a failing or crashing suite does not stop the others.
# Usage: run-suites.sh native|memcheck <suite binary>...
set -u
mode=$1
shift
logdir=$(cd "$(dirname "$0")/.." && pwd)/build/memcheck
failed=""

for bin in "$@"; do
	name=$(basename "$bin")
	echo "=== $name ($mode)"
	if [ "$mode" = memcheck ]; then
		mkdir -p "$logdir"
		# shellcheck disable=SC2086
		$VALGRIND --log-file="$logdir/$name.log" "$bin"
		status=$?
		grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$logdir/$name.log" |
			sed 's/^==[0-9]*== /memcheck: /'
		if [ $status -eq 99 ]; then
			echo "memcheck found errors in $name: see $logdir/$name.log"
		fi
	else
		"$bin"
		status=$?
	fi
	if [ $status -ne 0 ]; then
		echo "=== $name: FAILED ($mode, exit status $status)"
		failed="$failed $name"
	else
		echo "=== $name: passed ($mode)"
	fi
done

if [ -n "$failed" ]; then
	echo "FAILED ($mode):$failed"
	exit 1
fi
echo "all suites passed ($mode)"
