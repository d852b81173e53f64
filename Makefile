# SPDX-License-Identifier: GPL-2.0
#
# kgrind: the Linux kernel as a library in a host process, under memcheck.
# `make help` lists every target and option (scripts/help.txt); the
# README and docs/ say more.  The feature fragments: scripts/suites.mk
# (which suites), coverage/coverage.mk, harness/kunit/kunit.mk and
# harness/failsweep/failsweep.mk.
#
# KSRC=/path/to/linux-6.12 builds that tree instead of Debian's
# linux-source-6.12: it gets the arch/kgrind link and the patches of
# harness/patches (scripts/prepare-kernel.sh), and a build directory of
# its own.

KSRC ?=
SUITES ?=
TESTS ?=
SUPP ?=
VGDB ?=
SUITE_DIRS ?=
KCONFIG_ADD ?=
TOP := $(CURDIR)
comma := ,
# $(call key,text): a short name for a build directory that text decides.
key = $(shell printf '%s' '$(1)' | md5sum | cut -c1-8)
KTREE := $(if $(KSRC),$(abspath $(KSRC)),$(TOP)/build/linux)
# A user's tree gets a build directory of its own.
TREE_BUILD := $(TOP)/build$(if $(KSRC),/ksrc$(subst /,_,$(abspath $(KSRC))))

# The options given on the command line or in the environment, each
# checked for its form by the goals that read it before anything runs
# (scripts/check-options.py): a wrong one stops make with one line.  No
# option given, no python3 started.
CHECKED_OPTIONS := KSRC TESTS TIMEOUT NATIVE_TIMEOUT NTH SHARD FRESH FORK VIRTUAL_TIME MODE \
	KUNIT_FILTER KUNIT_ATTR KUNIT_EXPECT SUPP VGDB COVERAGE_BASE BENCH_REPEAT \
	BENCH_CLEAN_BUILD KGRIND_MEM KGRIND_CMDLINE
GIVEN_OPTIONS := $(foreach o,$(CHECKED_OPTIONS),$(if $(filter command environment,$(firstword $(origin $(o)))),$(o)))
# $(call shell_quote,text): text as one word of the shell.
shell_quote = '$(subst ','\'',$(1))'
ifneq ($(GIVEN_OPTIONS),)
OPTIONS_ERROR := $(shell python3 scripts/check-options.py $(call shell_quote,$(or $(MAKECMDGOALS),all)) \
	$(foreach o,$(GIVEN_OPTIONS),$(call shell_quote,$(o)=$($(o)))))
ifneq ($(.SHELLSTATUS),0)
$(error $(or $(OPTIONS_ERROR),kgrind: scripts/check-options.py failed))
endif
endif

include scripts/suites.mk

# KCONFIG_ADD: fragment files and CONFIG_X=value options, applied last.
KCONFIG_ADD_ITEMS := $(subst $(comma), ,$(KCONFIG_ADD))
KCONFIG_ADD_OPTIONS := $(filter CONFIG_%,$(KCONFIG_ADD_ITEMS))
$(foreach o,$(KCONFIG_ADD_OPTIONS),$(if $(and $(findstring =,$(o)),$(filter-out %=,$(o))),,\
	$(error kgrind: KCONFIG_ADD names $(o) without a value; write $(patsubst %=,%,$(o))=y)))
KCONFIG_ADD_FILES := $(foreach f,$(filter-out CONFIG_%,$(KCONFIG_ADD_ITEMS)),\
	$(if $(wildcard $(f)/.),$(error kgrind: KCONFIG_ADD names $(f), a directory; want fragment files and CONFIG_X=value),\
	$(if $(wildcard $(f)),$(abspath $(f)),\
	$(error kgrind: KCONFIG_ADD names $(f), which is neither a file nor CONFIG_X=value))))

# A kernel with other options or other fixtures than the default one lives
# in a build directory of its own, keyed by what it adds (the options and
# the paths of the fragments and suites, not their contents: editing your
# fragment reconfigures that directory).  Switching back and forth
# rebuilds nothing twice.
KERNEL_KEY := $(strip $(KCONFIG_ADD_FILES) $(KCONFIG_ADD_OPTIONS) $(EXT_KERNEL_DIRS))
BUILD := $(TREE_BUILD)$(if $(KERNEL_KEY),/cfg-$(call key,$(KERNEL_KEY)))
KOBJ := $(BUILD)/kobj
CCACHE := $(shell command -v ccache 2>/dev/null)
# The library kernel's options: the port's, what each suite asks for in
# its kernel.config (one kernel serves every suite), then KCONFIG_ADD.
CONFIG_FRAGMENTS := harness/arch/configs/kgrind.config $(wildcard suites/*/kernel.config) \
	$(wildcard $(addsuffix /kernel.config,$(EXT_SUITE_DIRS))) $(KCONFIG_ADD_FILES) \
	$(if $(KCONFIG_ADD_OPTIONS),$(BUILD)/kconfig-add.config)
# $(call kmake,build directory): the kernel build, its objects in dir/kobj.
# Without -j on our command line it still uses every core.  ccache ignores
# the build directory, so the kgrind, coverage and baseline builds share
# every object they compile alike.
kmake = CCACHE_NOHASHDIR=1 $(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) \
	-C $(KTREE) O=$(1)/kobj ARCH=kgrind CC="$(call kcc,$(1))" \
	KCONFIG_ALLCONFIG=$(1)/kgrind.config $(if $(EXT_KBUILD_LINKS),KGRIND_SUITE_DIRS="$(EXT_KBUILD_LINKS)")
kcc = $(if $(filter $(COV_BUILD),$(1)),$(COV_CC),$(CCACHE) gcc)
NPROC := $(shell nproc)
# make coverage's kernel: some sources built with --coverage (coverage.mk).
COV_BUILD := $(BUILD)/gcov
KMAKE := $(call kmake,$(BUILD))
# make bench's point of comparison: SLUB, no page annotations, built in
# a directory of its own.
BASELINE := $(BUILD)/baseline

RUN_SUITES := $(if $(SUITES),$(subst $(comma), ,$(SUITES)),$(ALL_SUITES))
ifneq ($(filter-out $(ALL_SUITES),$(RUN_SUITES)),)
$(error kgrind: SUITES=$(SUITES): no suite named $(filter-out $(ALL_SUITES),$(RUN_SUITES)); the suites are: $(strip $(ALL_SUITES)))
endif

CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -fno-pie -pthread \
	  -I$(TOP)/harness/include -I$(TOP)/host-valgrind -I$(BUILD)/include
LDFLAGS := -no-pie -pthread -Wl,-z,noexecstack
LDLIBS := -lcunit

HOST_SRCS := $(wildcard harness/lib/*.c) $(wildcard host-valgrind/*.c)
HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_SRCS))
SUITE_BINS := $(foreach s,$(RUN_SUITES),$(BUILD)/suites/$(s)/test_$(s))
# Not a suite: tests that fail on purpose, to check the runner itself.
SELFTEST_BIN := $(BUILD)/suites/selftest/check_runner

VALGRIND := valgrind --tool=memcheck --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite \
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

.PHONY: all help deps setup kernel suites test native memcheck alone selftest bench bench-build coverage menuconfig \
	new-suite clean distclean FORCE check-selection $(addprefix run-native-,$(ALL_SUITES)) $(addprefix run-memcheck-,$(ALL_SUITES))

all: suites

help:
	@cat scripts/help.txt

deps:
	@KSRC="$(KSRC)" scripts/deps.sh check

setup:
	@KSRC="$(KSRC)" scripts/deps.sh install

$(TREE_BUILD)/kernel-tree.stamp: scripts/prepare-kernel.sh $(wildcard harness/patches/*.patch) | deps
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	@mkdir -p $(dir $@) && touch $@

# A kernel's config fragments joined, each headed by where it came from,
# for check-config.py.
define join_fragments
	@mkdir -p $(dir $@)
	@for f in $^; do echo "# --- from $$f"; cat "$$f"; done > $@
endef

$(BUILD)/kgrind.config: $(CONFIG_FRAGMENTS)
	$(join_fragments)

$(BUILD)/kconfig-add.config:
	@mkdir -p $(BUILD)
	@printf '%s\n' '# --- from KCONFIG_ADD' $(KCONFIG_ADD_OPTIONS) > $@

# The baseline's choices replace the port's (no kconfig "override" noise).
$(BASELINE)/kgrind.config: $(BUILD)/kgrind.config bench/baseline.config
	@mkdir -p $(BASELINE)
	@{ grep -v -e '^CONFIG_KGRIND_PAGE_ANNOTATIONS=' -e '^CONFIG_KGRIND_SLAB_' $<; \
	   echo "# --- from bench/baseline.config"; cat bench/baseline.config; } > $@

# make menuconfig's changes last until a config fragment changes.  Kconfig
# leaves an unchanged .config alone: touch it, or this rule runs every time.
# An option kconfig dropped stops the build, named with the reason.
%/kobj/.config: %/kgrind.config $(wildcard harness/arch/Kconfig*) $(TREE_BUILD)/kernel-tree.stamp
	@mkdir -p $(dir $@)
	+@$(call kmake,$*) -s allnoconfig
	@python3 scripts/check-config.py $< $@ $(KTREE) || { rm -f $@; exit 1; }
	@touch $@

# kbuild decides what the kernel needs, every time (kernel-build.sh skips
# it only when no file it reads is newer than its last run).  vmlinux
# keeps kbuild's date: the object and the suites relink only when kbuild
# relinked it.
%/kobj/vmlinux: %/kobj/.config FORCE
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	@mkdir -p $*/kobj/valgrind-include $(SUITE_LINKS)
	@ln -sfn /usr/include/valgrind $*/kobj/valgrind-include/valgrind
	@$(foreach d,$(EXT_KBUILD_DIRS),ln -sfn $(d) $(SUITE_LINKS)/$(call suite_link,$(d));)
	+@scripts/kernel-build.sh $*/kobj $(KTREE) $(TOP) '$(call kmake,$*)' $(EXT_KBUILD_DIRS)

FORCE:

# The kernel with every symbol local except the kg_* entry points.  Only
# the coverage build may leave symbols undefined: libgcov's.  The
# position-independent code's GOT is the final link's.
%/kgrind.o: %/kobj/vmlinux
	@undefined=$$(nm -u $< | awk '$$2 != "_GLOBAL_OFFSET_TABLE_" $(if $(filter $(COV_BUILD),$*),&& $$2 !~ /^__gcov_/) {print $$2}'); \
	if [ -n "$$undefined" ]; then \
		echo "kgrind: the kernel object leaves symbols undefined:" $$undefined >&2; \
		exit 1; \
	fi
	objcopy $$(nm --defined-only -g $< | awk '$$3 ~ /^kg_/ { print "-G", $$3 }') $< $@

# Rewritten only when the numbers change, so host code does not
# recompile after every kernel change.
%/include/kgrind_nr.h: %/kobj/vmlinux
	@mkdir -p $(dir $@)
	@{ echo "/* Generated from the kernel's unistd_64.h: asm-generic numbers. */"; \
	   echo "#ifndef KGRIND_NR_H"; echo "#define KGRIND_NR_H"; \
	   sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/#define KG_NR_\1 \2/p' \
		$*/kobj/arch/kgrind/include/generated/uapi/asm/unistd_64.h; \
	   echo "#endif"; } > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

kernel: $(BUILD)/kgrind.o $(BUILD)/include/kgrind_nr.h

$(BUILD)/host/%.o: %.c $(BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h host-valgrind/*.h harness/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# Every suite's test program, from its own directory (kgrind's or yours).
define suite_object
$(BUILD)/suites/$(1)/test_$(1).o: $(SUITE_DIR_$(1))/test_$(1).c $(BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -c $$< -o $$@
endef
$(foreach s,$(ALL_SUITES),$(eval $(call suite_object,$(s))))

$(BUILD)/suites/selftest/%.o: suites/selftest/%.c $(BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/suites/%: $(BUILD)/suites/%.o $(HOST_OBJS) $(BUILD)/kgrind.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

suites: deps $(SUITE_BINS)

include coverage/coverage.mk
include harness/kunit/kunit.mk
include harness/failsweep/failsweep.mk
include harness/programs/programs.mk
include harness/kselftest/kselftest.mk

# After the suites: the names of their tests are in their programs.
check-selection: suites
	@$(if $(TESTS),$(KGRUN) check --tests '$(TESTS)' $(SUITE_BINS))
	@$(if $(VGDB),echo "kgrind: VGDB=1: valgrind stops at the first error; attach from another terminal with:"; \
		echo "  gdb $(firstword $(SUITE_BINS)) -ex 'target remote | vgdb'")

# One target per suite, so that make -j runs suites in parallel.
# FORK=1: the suite boots and sets up once, and each test runs in a
# forked copy of that kernel (kg_fork).
FORK ?=
# VIRTUAL_TIME=1: the kernel's clock moves only with it (make failsweep's
# way), so that a run repeats.
VIRTUAL_TIME ?=
ifeq ($(VIRTUAL_TIME),1)
export KGRIND_VIRTUAL_TIME := 1
endif
$(addprefix run-native-,$(ALL_SUITES)): run-native-%:
	@$(KGRUN) run --suite $* --bin $(BUILD)/suites/$*/test_$* --mode native \
		--reports $(REPORTS)/native --tests '$(TESTS)' --timeout $(NATIVE_TIMEOUT) \
		$(if $(FORK),--fork)

$(addprefix run-memcheck-,$(ALL_SUITES)): run-memcheck-%:
	@$(KGRUN) run --suite $* --bin $(BUILD)/suites/$*/test_$* --mode memcheck \
		--reports $(REPORTS) --tests '$(TESTS)' --timeout $(TIMEOUT) \
		--valgrind '$(VALGRIND)' $(if $(FORK),--fork)

native: suites check-selection
	+@$(MAKE) --no-print-directory $(addprefix run-native-,$(RUN_SUITES))
	@$(KGRUN) summary --mode native --reports $(REPORTS)/native $(RUN_SUITES)

memcheck: suites check-selection
	+@$(MAKE) --no-print-directory $(addprefix run-memcheck-,$(RUN_SUITES))
	@$(KGRUN) summary --mode memcheck --reports $(REPORTS) $(RUN_SUITES)

# Every test alone: each in a forked copy of its suite's kernel, as the
# setup left it, natively and under memcheck.
alone: suites
	@rm -rf $(REPORTS)/alone
	@$(KGRUN) alone --mode native --reports $(REPORTS)/alone/native --timeout $(NATIVE_TIMEOUT) \
		$(foreach s,$(RUN_SUITES),$(s)=$(BUILD)/suites/$(s)/test_$(s)); native=$$?; \
	$(KGRUN) alone --mode memcheck --reports $(REPORTS)/alone/memcheck --timeout $(TIMEOUT) \
		--valgrind '$(VALGRIND)' \
		$(foreach s,$(RUN_SUITES),$(s)=$(BUILD)/suites/$(s)/test_$(s)) && exit $$native

# Every run, even when one fails: CI wants every verdict.
test: suites runner-test selftest
	+@$(MAKE) --no-print-directory native; native=$$?; \
	$(MAKE) --no-print-directory alone; alone=$$?; \
	$(MAKE) --no-print-directory memcheck && exit $$((native | alone))

selftest: $(SELFTEST_BIN)
	@python3 scripts/check-calls.py $(BUILD) $(TOP)
	@scripts/check-kernel-build.sh
	@scripts/check-wrong-options.sh
	@$(KGRUN)/selftest.py $(SELFTEST_BIN) $(KTREE)/tools/testing/kunit/kunit.py '$(VALGRIND)'

# The Python runner's unit tests (scripts/kgrun/tests): seconds, no kernel.
.PHONY: runner-test
# The runner's unit tests; those that check kunit.py parse reads its KTAP
# use the kernel tree's kunit.py (skipped when the tree is not there yet).
runner-test:
	@cd scripts/kgrun && KG_KUNIT_PY=$(KTREE)/tools/testing/kunit/kunit.py \
		PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s tests -t .

# What make bench runs, built without running it (CI builds it so that
# the bench's kernels and programs cannot rot unseen).
bench-build: suites $(BUILD)/bench/kgbench $(BASELINE)/bench/kgbench $(BASELINE)/suites/boot/test_boot $(COV_SUITE_BINS) \
	programs $(PROGRAMS_BUILD)/bench/bridge_cost

bench: bench-build
	@VALGRIND="$(VALGRIND)" COV_LIST=$(COV_LIST) scripts/bench.sh $(BUILD) $(BASELINE) $(KTREE) $(KSRC)

%/bench/kgbench: bench/kgbench.c bench/kgbench_io.c $(HOST_OBJS) %/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The boot suite over the baseline kernel, for make bench.
$(BASELINE)/suites/boot/test_boot: $(BUILD)/suites/boot/test_boot.o $(HOST_OBJS) $(BASELINE)/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A starting suite of your own: DIR=path/name writes path/name/.
new-suite:
	@scripts/new-suite.sh "$(DIR)" scripts/new-suite

menuconfig: $(KOBJ)/.config
	+$(KMAKE) menuconfig

clean:
	rm -rf $(BUILD)/host $(BUILD)/suites $(BUILD)/bench $(BUILD)/kgrind.o $(REPORTS) \
		$(COV_BUILD)/suites $(COV_BUILD)/kgrind.o $(COV_REPORT) \
		$(KUNIT_BUILD)/host $(KUNIT_BIN) $(KUNIT_BUILD)/kgrind.o $(KUNIT_REPORTS)

distclean:
	rm -rf $(BUILD)
