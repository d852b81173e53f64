#!/bin/sh
# Prints the coverage build's source list: coverage/sources, then each
# COVERAGE_DIRS entry (a directory of the tree gets its trailing slash).
# Usage: list.sh <kernel tree> <sources file> "<entries, comma or space separated>"
set -eu
tree=$1
sources=$2
extra=$3

grep -v -e '^#' -e '^$' "$sources"
for entry in $(echo "$extra" | tr ',' ' '); do
	entry=${entry%/}
	if [ -d "$tree/$entry" ]; then
		echo "$entry/"
	elif [ -f "$tree/$entry" ] || ls "$tree"/$entry >/dev/null 2>&1; then
		echo "$entry"
	else
		echo "kgrind: COVERAGE_DIRS names $entry, which is not in the kernel tree $tree" >&2
		exit 1
	fi
done
