#!/bin/sh
# Checks (check) or installs (install) what kgrind needs from Debian.
# Each line: package, then how to tell it is present.
set -eu

need() {
	cat <<'LIST'
build-essential	cmd:gcc
make	cmd:make
bc	cmd:bc
bison	cmd:bison
flex	cmd:flex
xz-utils	cmd:xz
ccache	cmd:ccache
valgrind	cmd:valgrind
valgrind	file:/usr/include/valgrind/memcheck.h
python3	cmd:python3
libcunit1-dev	file:/usr/include/CUnit/CUnit.h
lcov	cmd:lcov
e2fsprogs	cmd:mkfs.ext4
dosfstools	cmd:mkfs.vfat
libcapstone-dev	file:/usr/include/capstone/capstone.h
libcap-dev	file:/usr/include/sys/capability.h
libpopt-dev	file:/usr/include/popt.h
LIST
	if [ -z "${KSRC:-}" ]; then
		printf 'linux-source-6.12\tfile:/usr/src/linux-source-6.12.tar.xz\n'
	fi
}

present() {
	case "$1" in
	cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
	file:*) [ -e "${1#file:}" ] ;;
	esac
}

missing=""
for pkg_test in $(need | tr '\t' '='); do
	pkg=${pkg_test%%=*}
	test=${pkg_test#*=}
	case " $missing " in *" $pkg "*) continue ;; esac
	present "$test" || missing="$missing $pkg"
done

case "${1:-check}" in
check)
	if [ -n "$missing" ]; then
		echo "kgrind: missing Debian package(s):$missing (install them with: make setup)" >&2
		exit 1
	fi
	;;
install)
	[ -z "$missing" ] && exit 0
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "kgrind: installing$missing"
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
	;;
esac
