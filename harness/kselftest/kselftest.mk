# make kselftest: the kernel tree's selftest programs (tools/testing/
# selftests), built with the host's compiler against the tree's uapi
# headers, each run against the library kernel by scripts/kgrind-run,
# natively then under memcheck (scripts/kgrun/kselftest.py).
#
# TARGETS=a,b: selftest targets (default harness/kselftest/targets.txt);
# MODE=native|memcheck; KSELFTEST_FILTER=globs,... on collection:program;
# TIMEOUT=s per program.  The kernel is kgrind's with
# harness/kselftest/kernel.config and each target's own config fragment
# (a module it asks for built in), in a build directory of its own.

KSELFTEST_DEFAULT := $(shell sed -e 's/\#.*//' $(TOP)/harness/kselftest/targets.txt)
KSELFTEST_TARGETS := $(if $(TARGETS),$(subst $(comma), ,$(TARGETS)),$(KSELFTEST_DEFAULT))
# One kernel serves the default targets, any of them alone too; targets
# beyond them get a kernel of their own, with their configs added.
KSELFTEST_EXTRA := $(filter-out $(KSELFTEST_DEFAULT),$(KSELFTEST_TARGETS))
KSELFTEST_CONFIG_TARGETS := $(KSELFTEST_DEFAULT) $(KSELFTEST_EXTRA)
KSELFTEST_BUILD := $(BUILD)/kselftest$(if $(KSELFTEST_EXTRA),-$(call key,$(KSELFTEST_EXTRA)))
KSELFTEST_SRC := $(KTREE)/tools/testing/selftests
KSELFTEST_HDR := $(BUILD)/kselftest-headers
KSELFTEST_INSTALL := $(KSELFTEST_BUILD)/install
KSELFTEST_LIB := $(KSELFTEST_BUILD)/libkgrind-run.so
KSELFTEST_EXPECT ?= $(TOP)/harness/kselftest/expected.txt
KSELFTEST_FILTER ?=
KSELFTEST_TIMEOUT := $(if $(filter command line environment,$(origin TIMEOUT)),$(TIMEOUT),300)

.PHONY: kselftest kselftest-kernel kselftest-build kselftest-targets kselftest-selftest

# Each target's config fragment, its modules built in (the library kernel
# loads none), less the options it cannot have (config-not-kept.txt);
# made again when the tree is prepared again.
KSELFTEST_NOT_KEPT := $(TOP)/harness/kselftest/config-not-kept.txt
$(KSELFTEST_BUILD)/targets.config: $(TREE_BUILD)/kernel-tree.stamp $(TOP)/harness/kselftest/targets.txt $(KSELFTEST_NOT_KEPT)
	@mkdir -p $(dir $@)
	@for t in $(KSELFTEST_CONFIG_TARGETS); do \
		if [ ! -d $(KSELFTEST_SRC)/$$t ]; then echo "kgrind: TARGETS names $$t: no such selftest target in $(KSELFTEST_SRC)" >&2; exit 1; fi; \
		if [ -f $(KSELFTEST_SRC)/$$t/config ]; then \
			echo "# --- from $$t/config"; \
			sed 's/=m$$/=y/' $(KSELFTEST_SRC)/$$t/config | \
				awk 'NR == FNR { if ($$1 ~ /^CONFIG_/) skip[$$1] = 1; next } \
				     { split($$0, kv, "="); if (!(kv[1] in skip)) print }' $(KSELFTEST_NOT_KEPT) -; \
		fi; \
	done > $@.tmp && mv $@.tmp $@

$(KSELFTEST_BUILD)/kgrind.config: $(CONFIG_FRAGMENTS) $(TOP)/harness/kselftest/kernel.config $(KSELFTEST_BUILD)/targets.config
	$(join_fragments)

$(KSELFTEST_LIB): $(PROGRAMS_OBJS) $(KSELFTEST_BUILD)/kgrind.o
	$(link_run_lib)

kselftest-kernel: deps $(KSELFTEST_LIB)

# The tree's uapi headers for x86, as the selftests' own build wants them.
$(KSELFTEST_HDR)/include/linux/openat2.h: $(TREE_BUILD)/kernel-tree.stamp
	@$(MAKE) -s -C $(KTREE) ARCH=x86 O=$(KSELFTEST_HDR)/obj INSTALL_HDR_PATH=$(KSELFTEST_HDR) headers_install

# The targets' own Makefiles build and list their programs (install
# writes kselftest-list.txt); a program that does not build is said,
# and the others go on.
kselftest-build: $(KSELFTEST_HDR)/include/linux/openat2.h
	@mkdir -p $(KSELFTEST_BUILD)
	@$(MAKE) -k -C $(KSELFTEST_SRC) TARGETS="$(KSELFTEST_TARGETS)" O=$(KSELFTEST_BUILD)/obj \
		KSFT_INSTALL_PATH=$(KSELFTEST_INSTALL) KHDR_INCLUDES="-isystem $(KSELFTEST_HDR)/include" \
		CC=$(TOP)/harness/kselftest/cc install > $(KSELFTEST_BUILD)/build.log 2>&1 || \
		{ echo "kgrind: some selftest programs did not build ($(KSELFTEST_BUILD)/build.log):"; \
		  grep -E "error:|cannot find -l" $(KSELFTEST_BUILD)/build.log | sort -u | head -20; }

kselftest: kselftest-kernel kselftest-build
	@$(KGRUN) kselftest --install $(KSELFTEST_INSTALL) --lib $(KSELFTEST_LIB) \
		--reports $(KSELFTEST_BUILD)/reports --modes '$(or $(MODE),native memcheck)' \
		--targets '$(KSELFTEST_TARGETS)' --filter '$(KSELFTEST_FILTER)' \
		--timeout $(KSELFTEST_TIMEOUT) --expect '$(KSELFTEST_EXPECT)' \
		--kunit-py $(KTREE)/tools/testing/kunit/kunit.py

# Every selftest target of the tree: in the default set, out with its
# reason (harness/kselftest/not-run.txt), or not assessed yet.
kselftest-targets: $(TREE_BUILD)/kernel-tree.stamp
	@python3 $(TOP)/harness/kselftest/targets.py $(KSELFTEST_SRC)

# make kselftest's own check: a kselftest-style program of kgrind's
# (harness/kselftest/selftest/) whose tests commit bugs in kernel
# fixtures beside clean ones; exactly the bad ones must fail, each for
# its reason, natively and under memcheck.
KSELFTEST_SELFTEST := $(KSELFTEST_BUILD)/selftest/kgrind_selftest
$(KSELFTEST_SELFTEST): harness/kselftest/selftest/kgrind_selftest.c $(TREE_BUILD)/kernel-tree.stamp
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -I$(KSELFTEST_SRC) -o $@ $<

kselftest-selftest: kselftest-kernel $(KSELFTEST_SELFTEST)
	@python3 $(TOP)/harness/kselftest/selftest/check.py $(TOP)/scripts/kgrind-run \
		$(KSELFTEST_LIB) $(KSELFTEST_SELFTEST) $(KSELFTEST_BUILD)/selftest/reports
