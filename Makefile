# SPDX-License-Identifier: GPL-2.0
#
# kgrind: the Linux kernel as a library in a host process, under memcheck.
#
#   make            build the kernel object and every suite
#   make test       run every suite natively, then under memcheck
#   make native     run every suite natively
#   make memcheck   run every suite under valgrind's memcheck
#   make coverage   lcov reports of the kernel code the suites reach
#   make bench      measure build, boot, system call and memory figures
#   make menuconfig change the kernel configuration
#   make setup      install the Debian packages kgrind needs
#
# KSRC=/path/to/linux-6.12 builds that tree instead of Debian's
# linux-source-6.12; only an arch/kgrind link is added to it.
# SUITES=fs,chardev and TESTS='fs.ext4_*' choose what runs; TIMEOUT=s per
# test; SUPP=file adds valgrind suppressions; VGDB=1 stops memcheck at the
# first error for gdb.  make -j2 runs suites in parallel.

KSRC ?=
SUITES ?=
TESTS ?=
SUPP ?=
VGDB ?=
TOP := $(CURDIR)
# A user's tree gets a build directory of its own.
BUILD := $(TOP)/build$(if $(KSRC),/ksrc$(subst /,_,$(abspath $(KSRC))))
KTREE := $(if $(KSRC),$(abspath $(KSRC)),$(BUILD)/linux)
KOBJ := $(BUILD)/kobj
CCACHE := $(shell command -v ccache 2>/dev/null)
# The library kernel's options: the port's, plus what each suite asks for
# in its kernel.config (one kernel serves every suite).
CONFIG_FRAGMENTS := harness/arch/configs/kgrind.config $(wildcard suites/*/kernel.config)
# $(call kmake,build directory): the kernel build, its objects in dir/kobj.
# Without -j on our command line it still uses every core.  ccache ignores
# the build directory, so the kgrind, coverage and baseline builds share
# every object they compile alike.
kmake = CCACHE_NOHASHDIR=1 $(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) \
	-C $(KTREE) O=$(1)/kobj ARCH=kgrind CC="$(call kcc,$(1))" \
	KCONFIG_ALLCONFIG=$(1)/kgrind.config
kcc = $(if $(filter $(COV_BUILD),$(1)),$(COV_CC),$(CCACHE) gcc)
NPROC := $(shell nproc)
# make coverage's kernel: some sources built with --coverage (coverage.mk).
COV_BUILD := $(BUILD)/gcov
KMAKE := $(call kmake,$(BUILD))
# make bench's point of comparison: SLUB, no page annotations, built in
# a directory of its own.
BASELINE := $(BUILD)/baseline

ALL_SUITES := $(notdir $(patsubst %/,%,$(dir $(wildcard suites/*/test_*.c))))
comma := ,
RUN_SUITES := $(if $(SUITES),$(subst $(comma), ,$(SUITES)),$(ALL_SUITES))
ifneq ($(filter-out $(ALL_SUITES),$(RUN_SUITES)),)
$(error kgrind: no suite named $(filter-out $(ALL_SUITES),$(RUN_SUITES)); the suites are: $(ALL_SUITES))
endif

CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -fno-pie -pthread \
	  -I$(TOP)/harness/include -I$(BUILD)/include
LDFLAGS := -no-pie -pthread -Wl,-z,noexecstack
LDLIBS := -lcunit

HOST_SRCS := $(wildcard harness/lib/*.c) $(wildcard host-valgrind/*.c)
HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_SRCS))
SUITE_BINS := $(foreach s,$(RUN_SUITES),$(BUILD)/suites/$(s)/test_$(s))
# Not a suite: tests that fail on purpose, to check the runner itself.
SELFTEST_BIN := $(BUILD)/suites/selftest/check_runner

# Everything on the kernel side: a change here (and only here) runs the
# kernel build.  Host test files (test_*.c) are not part of it.
KERNEL_INPUTS := $(shell find harness/arch/ allocators/ suites/ \( -name 'test_*.c' -o -name 'check_*.c' \) -prune -o \
	-type f \( -name '*.[chS]' -o -name 'Kbuild' -o -name 'Makefile*' \
	-o -name 'Kconfig*' -o -name '*.config' \) -print) $(wildcard harness/patches/*.patch) \
	harness/include/kgrind_host_ops.h harness/include/kgrind_mem_stats.h

VALGRIND := valgrind --tool=memcheck --leak-check=full \
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \
	--num-callers=40 --fair-sched=yes --child-silent-after-fork=yes \
	--suppressions=$(TOP)/harness/valgrind.supp \
	$(if $(SUPP),--suppressions=$(abspath $(SUPP))) \
	$(if $(VGDB),--vgdb=yes --vgdb-error=1)

# The runner: per-test attribution, crash isolation, reports.
KGRUN := PYTHONDONTWRITEBYTECODE=1 python3 $(TOP)/scripts/kgrun
REPORTS := $(BUILD)/reports
# Per-test time limit in seconds (0: none; VGDB=1 waits for you).
TIMEOUT ?= $(if $(VGDB),0,120)
NATIVE_TIMEOUT ?= 60

.SECONDARY:

.PHONY: all deps setup kernel suites test native memcheck selftest bench coverage menuconfig clean distclean \
	check-selection $(addprefix run-native-,$(ALL_SUITES)) $(addprefix run-memcheck-,$(ALL_SUITES))

all: suites

deps:
	@KSRC="$(KSRC)" scripts/deps.sh check

setup:
	@KSRC="$(KSRC)" scripts/deps.sh install

$(BUILD)/kernel-tree.stamp: scripts/prepare-kernel.sh $(wildcard harness/patches/*.patch) | deps
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/kgrind.config: $(CONFIG_FRAGMENTS)
	@mkdir -p $(BUILD)
	@cat $^ > $@

# The baseline's choices replace the port's (no kconfig "override" noise).
$(BASELINE)/kgrind.config: $(BUILD)/kgrind.config bench/baseline.config
	@mkdir -p $(BASELINE)
	@grep -v -e '^CONFIG_KGRIND_PAGE_ANNOTATIONS=' -e '^CONFIG_KGRIND_SLAB_' $< | cat - bench/baseline.config > $@

# make menuconfig's changes last until a config fragment changes.  Kconfig
# leaves an unchanged .config alone: touch it, or this rule runs every time.
%/kobj/.config: %/kgrind.config harness/arch/Kconfig $(BUILD)/kernel-tree.stamp
	@mkdir -p $(dir $@)
	+@$(call kmake,$*) -s allnoconfig
	@touch $@

%/kobj/vmlinux: %/kobj/.config $(KERNEL_INPUTS)
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	@mkdir -p $*/kobj/valgrind-include
	@ln -sfn /usr/include/valgrind $*/kobj/valgrind-include/valgrind
	+$(call kmake,$*) vmlinux
	@touch $@

# The kernel with every symbol local except the kg_* entry points.  Only
# the coverage build may leave symbols undefined: libgcov's.
%/kgrind.o: %/kobj/vmlinux
	@undefined=$$(nm -u $< | awk '$(if $(filter $(COV_BUILD),$*),$$2 !~ /^__gcov_/) {print $$2}'); \
	if [ -n "$$undefined" ]; then \
		echo "kgrind: the kernel object leaves symbols undefined:" $$undefined >&2; \
		exit 1; \
	fi
	objcopy $$(nm --defined-only -g $< | awk '$$3 ~ /^kg_/ { print "-G", $$3 }') $< $@

$(BUILD)/include/kgrind_nr.h: $(KOBJ)/vmlinux
	@mkdir -p $(dir $@)
	@{ echo "/* Generated from the kernel's unistd_64.h: asm-generic numbers. */"; \
	   echo "#ifndef KGRIND_NR_H"; echo "#define KGRIND_NR_H"; \
	   sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/#define KG_NR_\1 \2/p' \
		$(KOBJ)/arch/kgrind/include/generated/uapi/asm/unistd_64.h; \
	   echo "#endif"; } > $@

kernel: $(BUILD)/kgrind.o $(BUILD)/include/kgrind_nr.h

$(BUILD)/host/%.o: %.c $(BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h host-valgrind/*.h harness/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/suites/%.o: suites/%.c $(BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/suites/%: $(BUILD)/suites/%.o $(HOST_OBJS) $(BUILD)/kgrind.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

suites: deps $(SUITE_BINS)

include coverage/coverage.mk

check-selection:
	@$(if $(TESTS),$(KGRUN) check --tests '$(TESTS)' $(SUITE_BINS))
	@$(if $(VGDB),echo "kgrind: VGDB=1: valgrind stops at the first error; attach from another terminal with:"; \
		echo "  gdb $(firstword $(SUITE_BINS)) -ex 'target remote | vgdb'")

# One target per suite, so that make -j runs suites in parallel.
$(addprefix run-native-,$(ALL_SUITES)): run-native-%:
	@$(KGRUN) run --suite $* --bin $(BUILD)/suites/$*/test_$* --mode native \
		--reports $(REPORTS)/native --tests '$(TESTS)' --timeout $(NATIVE_TIMEOUT)

$(addprefix run-memcheck-,$(ALL_SUITES)): run-memcheck-%:
	@$(KGRUN) run --suite $* --bin $(BUILD)/suites/$*/test_$* --mode memcheck \
		--reports $(REPORTS) --tests '$(TESTS)' --timeout $(TIMEOUT) \
		--valgrind '$(VALGRIND)'

native: suites check-selection
	+@$(MAKE) --no-print-directory $(addprefix run-native-,$(RUN_SUITES))
	@$(KGRUN) summary --mode native --reports $(REPORTS)/native $(RUN_SUITES)

memcheck: suites check-selection
	+@$(MAKE) --no-print-directory $(addprefix run-memcheck-,$(RUN_SUITES))
	@$(KGRUN) summary --mode memcheck --reports $(REPORTS) $(RUN_SUITES)

# Both runs, even when the native one fails: CI wants both verdicts.
test: suites selftest
	+@$(MAKE) --no-print-directory native; native=$$?; \
	$(MAKE) --no-print-directory memcheck && exit $$native

selftest: $(SELFTEST_BIN)
	@$(KGRUN)/selftest.py $(SELFTEST_BIN) $(KTREE)/tools/testing/kunit/kunit.py '$(VALGRIND)'

bench: suites $(BUILD)/bench/kgbench $(BASELINE)/bench/kgbench $(BASELINE)/suites/boot/test_boot $(COV_SUITE_BINS)
	@VALGRIND="$(VALGRIND)" COV_LIST=$(COV_LIST) scripts/bench.sh $(BUILD) $(BASELINE)

%/bench/kgbench: bench/kgbench.c bench/kgbench_io.c $(HOST_OBJS) %/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The boot suite over the baseline kernel, for make bench.
$(BASELINE)/suites/boot/test_boot: $(BUILD)/suites/boot/test_boot.o $(HOST_OBJS) $(BASELINE)/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

menuconfig: $(KOBJ)/.config
	+$(KMAKE) menuconfig

clean:
	rm -rf $(BUILD)/host $(BUILD)/suites $(BUILD)/bench $(BUILD)/kgrind.o $(REPORTS) \
		$(COV_BUILD)/suites $(COV_BUILD)/kgrind.o $(COV_REPORT)

distclean:
	rm -rf $(BUILD)
