# make coverage: the suites, natively, over a kernel of its own in
# build/gcov whose listed sources (coverage/sources, plus COVERAGE_DIRS)
# are built with --coverage and linked with libgcov, as UML's CONFIG_GCOV
# does.  A clean halt and exit write the .gcda files; lcov captures each
# suite; coverage/report.py merges, renders build/coverage/index.html,
# compares with the previous run and checks coverage/thresholds.

COVERAGE_DIRS ?=
COVERAGE_BASE ?=
COV_REPORT := $(BUILD)/coverage
# The list's name carries its content: a new list rebuilds what it changes.
COV_LIST := $(COV_BUILD)/sources-$(shell { cat coverage/sources; echo '$(COVERAGE_DIRS)'; } | md5sum | cut -c1-8).list
COV_CC = $(TOP)/coverage/cc $(COV_LIST) $(CCACHE) gcc
COV_SUITE_BINS := $(foreach s,$(RUN_SUITES),$(COV_BUILD)/suites/$(s)/test_$(s))
# libgcov writes each run's .gcda files under its own directory
# (GCOV_PREFIX), without the leading components of the object directory.
COV_STRIP := $(words $(subst /, ,$(COV_BUILD)/kobj))

.PHONY: coverage $(addprefix coverage-run-,$(ALL_SUITES))

$(COV_LIST): coverage/sources coverage/list.sh | $(TREE_BUILD)/kernel-tree.stamp
	@mkdir -p $(dir $@)
	@coverage/list.sh $(KTREE) coverage/sources '$(COVERAGE_DIRS)' > $@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

$(COV_BUILD)/kgrind.config: $(BUILD)/kgrind.config
	@mkdir -p $(dir $@)
	@cp $< $@

$(COV_BUILD)/kobj/vmlinux: $(COV_LIST)

$(COV_BUILD)/suites/%: $(BUILD)/suites/%.o $(HOST_OBJS) $(COV_BUILD)/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) --coverage -o $@ $^ $(LDLIBS)

$(addprefix coverage-run-,$(ALL_SUITES)): coverage-run-%:
	@rm -rf $(COV_REPORT)/gcda/$* $(COV_REPORT)/$*.info
	@GCOV_PREFIX=$(COV_REPORT)/gcda/$* GCOV_PREFIX_STRIP=$(COV_STRIP) \
		$(KGRUN) run --suite $* --bin $(COV_BUILD)/suites/$*/test_$* --mode native \
		--reports $(COV_REPORT)/runs --tests '$(TESTS)' --timeout $(NATIVE_TIMEOUT); \
	status=$$?; \
	coverage/capture.sh $(COV_BUILD)/kobj $(COV_REPORT)/gcda/$* $* $(COV_REPORT)/$*.info && exit $$status

# Every suite runs and is captured even when one fails; the report, the
# comparison and the floors come after, and any failure fails the target.
# COVERAGE_BASE names a file: scripts/check-options.py checked it.
coverage: deps $(COV_SUITE_BINS)
	@$(if $(TESTS),$(KGRUN) check --tests '$(TESTS)' $(COV_SUITE_BINS))
	+@$(MAKE) --no-print-directory -k $(addprefix coverage-run-,$(RUN_SUITES)); runs=$$?; \
	$(KGRUN) summary --mode native --reports $(COV_REPORT)/runs $(RUN_SUITES); \
	python3 coverage/report.py --out $(COV_REPORT) --tree $(KTREE) --list $(COV_LIST) \
		--suites '$(RUN_SUITES)' --all-suites '$(ALL_SUITES)' --tests '$(TESTS)' \
		--base '$(COVERAGE_BASE)' --thresholds coverage/thresholds && exit $$runs
