#!/bin/sh
# make new-suite DIR=path/name: writes path/name/, a starting suite named
# name, from the templates in scripts/new-suite/ (@NAME@ replaced); it
# builds and passes as it is.  Never writes into a directory that exists.
# Usage: new-suite.sh <dir> <templates dir>
set -eu
dir=${1:-}
templates=$2
if [ -z "$dir" ]; then
	echo "kgrind: make new-suite needs DIR=path/name" >&2
	exit 2
fi
name=$(basename "$(realpath -m "$dir")")
case "$name" in
""|*[!A-Za-z0-9_]*|[0-9]*)
	echo "kgrind: make new-suite DIR=path/name: the suite's name ('$name') must be a C identifier" >&2
	exit 2;;
esac
if [ -e "$dir" ]; then
	echo "kgrind: $dir exists; new-suite writes only a new directory" >&2
	exit 2
fi
mkdir -p "$dir"
for f in "$templates"/*; do
	[ "$(basename "$f")" = README.md ] && continue
	sed "s/@NAME@/$name/g" "$f" > "$dir/$(basename "$f" | sed "s/@NAME@/$name/")"
done
echo "kgrind: wrote the $name suite in $dir:"
ls "$dir" | sed 's/^/  /'
echo "run it with: make memcheck SUITE_DIRS=$dir"
