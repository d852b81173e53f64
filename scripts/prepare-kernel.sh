#!/bin/sh
# Makes a kernel tree kgrind can build: Debian's linux-source-6.12
# extracted under build/, or the user's own tree given as KSRC.  Either
# gets the arch/kgrind link and harness/patches (each applied once; a
# patch that does not fit stops the build and names itself).
# Usage: prepare-kernel.sh <tree> <repo top> [tarball]
set -eu
tree=$1
top=$2
tarball=${3:-/usr/src/linux-source-6.12.tar.xz}

if [ -z "${KSRC:-}" ] && [ ! -f "$tree/Makefile" ]; then
	if [ ! -f "$tarball" ]; then
		echo "kgrind: $tarball not found: install Debian package linux-source-6.12 (make setup)" >&2
		exit 1
	fi
	echo "  EXTRACT $tarball"
	parent=$(dirname "$tree")
	mkdir -p "$parent"
	rm -rf "$parent/linux-source-6.12" "$tree.partial"
	tar -xJf "$tarball" -C "$parent"
	mv "$parent/linux-source-6.12" "$tree.partial"
	mv "$tree.partial" "$tree"
fi

if [ ! -f "$tree/Makefile" ]; then
	echo "kgrind: $tree is not a kernel source tree (no Makefile)" >&2
	exit 1
fi
version=$(sed -n 's/^VERSION = //p' "$tree/Makefile")
patchlevel=$(sed -n 's/^PATCHLEVEL = //p' "$tree/Makefile")
if [ "$version.$patchlevel" != "6.12" ]; then
	echo "kgrind: $tree is Linux $version.$patchlevel; kgrind needs a 6.12 tree" >&2
	exit 1
fi

for p in "$top"/harness/patches/*.patch; do
	[ -e "$p" ] || continue
	if patch -s -f -R --dry-run -p1 -d "$tree" < "$p" >/dev/null 2>&1; then
		continue	# already applied
	fi
	if ! patch -s -f --dry-run -p1 -d "$tree" < "$p" >/dev/null 2>&1; then
		echo "kgrind: harness/patches/$(basename "$p") does not apply to $tree; see the patch's header for what it changes" >&2
		exit 1
	fi
	echo "  PATCH   $(basename "$p")${KSRC:+ (to your tree $tree)}"
	patch -s -f -p1 -d "$tree" < "$p"
done

# The overlay: arch/kgrind is harness/arch (fixtures follow via its links).
link="$tree/arch/kgrind"
if [ ! -L "$link" ] || [ "$(readlink -f "$link")" != "$(readlink -f "$top/harness/arch")" ]; then
	if [ -e "$link" ] && [ ! -L "$link" ]; then
		echo "kgrind: $link exists and is not kgrind's link; remove it first" >&2
		exit 1
	fi
	ln -sfn "$(readlink -f "$top/harness/arch")" "$link"
fi
