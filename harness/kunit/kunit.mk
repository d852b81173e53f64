# make kunit: the kernel's own KUnit suites in the library kernel, each
# case judged by KUnit and, under memcheck, by memcheck too
# (harness/arch/kernel/kunit.c, harness/lib/kunit_verdict.c).
#
# KUNITCONFIG=path[,path]: kunitconfig fragments (a file, or a directory
# holding .kunitconfig; a relative path not found here is taken in the
# kernel tree, as kunit.py does), instead of harness/kunit/kgrind.kunitconfig.
# KUNIT_FILTER=glob (suite or suite.case), KUNIT_ATTR=filter (as kunit.py
# --filter, e.g. speed>slow), MODE=native|memcheck (default both),
# TIMEOUT=s per case (360: past KUnit's own 300).  KCONFIG_ADD= applies
# here too.

KUNITCONFIG ?=
KUNIT_FILTER ?=
KUNIT_ATTR ?=
MODE ?=
KUNIT_EXPECT ?= $(TOP)/harness/kunit/expected.txt
# A case's limit: past KUnit's own 300 s, unless TIMEOUT= says otherwise.
KUNIT_TIMEOUT := $(if $(filter command line environment,$(origin TIMEOUT)),$(TIMEOUT),360)

kunit_resolve = $(or $(wildcard $(abspath $(1))/.kunitconfig),\
	$(if $(wildcard $(abspath $(1))),$(if $(wildcard $(abspath $(1))/.),,$(abspath $(1)))),\
	$(wildcard $(KTREE)/$(1)/.kunitconfig),\
	$(if $(wildcard $(KTREE)/$(1)),$(if $(wildcard $(KTREE)/$(1)/.),,$(KTREE)/$(1))),\
	$(error kgrind: KUNITCONFIG names $(1): no such file, nor a directory with a .kunitconfig, here or in $(KTREE)$(if $(wildcard $(KTREE)/Makefile),, (not extracted yet: make kernel extracts it))))
KUNIT_FRAGMENTS := $(if $(KUNITCONFIG),$(foreach k,$(subst $(comma), ,$(KUNITCONFIG)),$(call kunit_resolve,$(k))),\
	$(TOP)/harness/kunit/kgrind.kunitconfig)
# A directory per set of fragments: switching sets rebuilds nothing twice.
KUNIT_BUILD := $(BUILD)/kunit$(if $(KUNITCONFIG),-$(call key,$(KUNIT_FRAGMENTS)))
KUNIT_REPORTS := $(KUNIT_BUILD)/reports
KUNIT_BIN := $(KUNIT_BUILD)/kg_kunit
KUNIT_HOST_OBJS := $(patsubst %.c,$(KUNIT_BUILD)/host/%.o,$(HOST_SRCS) harness/kunit/kg_kunit.c)
# The library kernel's fragments, then KUnit's, then KCONFIG_ADD's.
KUNIT_CONFIG_FRAGMENTS := $(filter-out $(KCONFIG_ADD_FILES) $(BUILD)/kconfig-add.config,$(CONFIG_FRAGMENTS)) \
	$(KUNIT_FRAGMENTS) $(KCONFIG_ADD_FILES) $(if $(KCONFIG_ADD_OPTIONS),$(BUILD)/kconfig-add.config)

.PHONY: kunit kunit-kernel kunit-selftest kunit-suites

$(KUNIT_BUILD)/kgrind.config: $(KUNIT_CONFIG_FRAGMENTS)
	$(join_fragments)

$(KUNIT_BUILD)/host/%.o: %.c $(KUNIT_BUILD)/include/kgrind_nr.h $(wildcard harness/include/*.h host-valgrind/*.h harness/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(subst -I$(BUILD)/include,-I$(KUNIT_BUILD)/include,$(CFLAGS)) -c $< -o $@

$(KUNIT_BIN): $(KUNIT_HOST_OBJS) $(KUNIT_BUILD)/kgrind.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

kunit-kernel: deps $(KUNIT_BIN)

# Natively, then under memcheck (MODE= one of them); fails if either fails.
kunit: kunit-kernel
	@$(KGRUN) kunit --bin $(KUNIT_BIN) --reports $(KUNIT_REPORTS) \
		--modes '$(or $(MODE),native memcheck)' --filter '$(KUNIT_FILTER)' \
		--attr '$(KUNIT_ATTR)' --timeout $(KUNIT_TIMEOUT) --native-timeout $(KUNIT_TIMEOUT) \
		--expect '$(KUNIT_EXPECT)' --valgrind '$(VALGRIND)' \
		--kunit-py $(KTREE)/tools/testing/kunit/kunit.py

# The runner's check: a KUnit suite of kgrind's whose cases fail on
# purpose (harness/arch/kernel/kunit_selftest.c) fails each for its reason.
kunit-selftest: kunit-kernel
	@$(KGRUN) kunit --selftest --bin $(KUNIT_BIN) --reports $(KUNIT_REPORTS)/selftest \
		--modes 'native memcheck' --timeout $(KUNIT_TIMEOUT) --native-timeout $(KUNIT_TIMEOUT) \
		--expect '$(KUNIT_EXPECT)' --valgrind '$(VALGRIND)' \
		--kunit-py $(KTREE)/tools/testing/kunit/kunit.py

# Every KUnit test option of the tree: built in the KUnit kernel, or the
# dependencies that keep it out (harness/kunit/suites.txt is its output
# for the default set).
kunit-suites: kunit-kernel
	@python3 $(TOP)/harness/kunit/kunit-suites.py $(KTREE) $(KUNIT_BUILD)/kobj/.config
