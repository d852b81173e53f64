# The suites: kgrind's own in suites/<name>/, and the user's in the
# directories SUITE_DIRS names, laid out alike: test_<name>.c (host side),
# optional kernel-side fixtures with their Kbuild, an optional
# kernel.config.  Both kinds are built, run and reported by the same rules.
#
# Sets ALL_SUITES, SUITE_DIR_<name>, EXT_SUITE_DIRS (absolute) and
# EXT_KERNEL_DIRS (those with kernel-side parts: they need a kernel of
# their own, see KERNEL_KEY in the Makefile).

IN_TREE_SUITES := $(notdir $(patsubst %/,%,$(dir $(wildcard suites/*/test_*.c))))
EXT_SUITE_DIRS := $(foreach d,$(subst $(comma), ,$(SUITE_DIRS)),$(abspath $(d)))
EXT_SUITES := $(notdir $(EXT_SUITE_DIRS))

$(foreach d,$(EXT_SUITE_DIRS),$(if $(wildcard $(d)/.),,\
	$(error kgrind: SUITE_DIRS names $(d), which is no directory; want suite directories laid out like suites/<name>/)))
$(foreach d,$(EXT_SUITE_DIRS),$(if $(wildcard $(d)/test_$(notdir $(d)).c),,\
	$(error kgrind: SUITE_DIRS names $(d), which holds no test_$(notdir $(d)).c; a suite directory is laid out like suites/<name>/ (make new-suite DIR=path/name writes a new one))))
$(foreach d,$(EXT_SUITE_DIRS),$(if $(filter $(notdir $(d)),$(IN_TREE_SUITES)),\
	$(error kgrind: suite $(notdir $(d)) in SUITE_DIRS ($(d)) has the name of kgrind's suite $(TOP)/suites/$(notdir $(d)); rename your directory)))
$(foreach n,$(sort $(EXT_SUITES)),$(if $(filter-out 1,$(words $(filter $(n),$(EXT_SUITES)))),\
	$(error kgrind: SUITE_DIRS names two suites called $(n): $(filter %/$(n),$(EXT_SUITE_DIRS)))))

ALL_SUITES := $(IN_TREE_SUITES) $(EXT_SUITES)
$(foreach n,$(IN_TREE_SUITES),$(eval SUITE_DIR_$(n) := $(TOP)/suites/$(n)))
$(foreach d,$(EXT_SUITE_DIRS),$(eval SUITE_DIR_$(notdir $(d)) := $(d)))

EXT_KERNEL_DIRS := $(foreach d,$(EXT_SUITE_DIRS),$(if $(wildcard $(d)/Kbuild $(d)/kernel.config),$(d)))
EXT_KBUILD_DIRS := $(foreach d,$(EXT_SUITE_DIRS),$(if $(wildcard $(d)/Kbuild),$(d)))
# kbuild reaches a user's fixtures through arch/kgrind/suite-dirs/<link>
# (harness/arch/suite-dirs is build/suite-dirs): one link per directory,
# named after the suite and its path, so it never changes its target.
SUITE_LINKS := $(TOP)/build/suite-dirs
suite_link = $(notdir $(1))-$(call key,$(1))
EXT_KBUILD_LINKS := $(foreach d,$(EXT_KBUILD_DIRS),$(call suite_link,$(d)))
