# make failsweep: each fault site a test passes, failed once, under
# memcheck (scripts/kgrun/failsweep.py, harness/lib/failsweep.c).
#
# SUITES= and TESTS= select the tests, NTH=a-b the steps (fault sites),
# SHARD=i/N this job's share of the steps; make failsweep-merge joins the
# shards' reports (build/reports/failsweep-shard-*.json) into one.
# FRESH=1 runs each step in a process of its own, not a forked copy.
# The kernel keeps virtual time, so that a step repeats.
NTH ?=
SHARD ?=
FRESH ?=
FAILSWEEP_KNOWN := $(TOP)/harness/failsweep/known.txt

.PHONY: failsweep failsweep-merge

failsweep: suites check-selection
	@KGRIND_VIRTUAL_TIME=1 $(KGRUN) failsweep --reports $(REPORTS) --tests '$(TESTS)' --nth '$(NTH)' \
		--shard '$(SHARD)' --timeout $(TIMEOUT) --valgrind '$(VALGRIND)' \
		--known $(FAILSWEEP_KNOWN) $(if $(FRESH),--fresh) \
		$(foreach s,$(RUN_SUITES),$(s)=$(BUILD)/suites/$(s)/test_$(s))

failsweep-merge:
	@$(KGRUN) failsweep-merge --reports $(REPORTS) --known $(FAILSWEEP_KNOWN) \
		$(wildcard $(REPORTS)/failsweep-shard-*.json)
