# SPDX-License-Identifier: GPL-2.0
#
# kgrind: the Linux kernel as a library in a host process, under memcheck.
#
#   make            build the kernel object and every suite
#   make test       run every suite natively, then under memcheck
#   make memcheck   run every suite under valgrind's memcheck
#   make bench      measure build, boot, system call and memory figures
#   make menuconfig change the kernel configuration
#   make setup      install the Debian packages kgrind needs
#
# KSRC=/path/to/linux-6.12 builds that tree instead of Debian's
# linux-source-6.12; only an arch/kgrind link is added to it.

KSRC ?=
TOP := $(CURDIR)
# A user's tree gets a build directory of its own.
BUILD := $(TOP)/build$(if $(KSRC),/ksrc$(subst /,_,$(abspath $(KSRC))))
KTREE := $(if $(KSRC),$(abspath $(KSRC)),$(BUILD)/linux)
KOBJ := $(BUILD)/kobj
CCACHE := $(shell command -v ccache 2>/dev/null)
KMAKE := $(MAKE) -C $(KTREE) O=$(KOBJ) ARCH=kgrind CC="$(CCACHE) gcc" \
	 KCONFIG_ALLCONFIG=$(TOP)/harness/arch/configs/kgrind.config

SUITES := $(notdir $(patsubst %/,%,$(dir $(wildcard suites/*/test_*.c))))

CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -fno-pie -pthread \
	  -I$(TOP)/harness/include -I$(BUILD)/include
LDFLAGS := -no-pie -pthread -Wl,-z,noexecstack
LDLIBS := -lcunit

HOST_SRCS := $(wildcard harness/lib/*.c) $(wildcard host-valgrind/*.c)
HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_SRCS))
SUITE_BINS := $(foreach s,$(SUITES),$(BUILD)/suites/$(s)/test_$(s))

# Everything on the kernel side: a change here (and only here) runs the
# kernel build.  Host test files (test_*.c) are not part of it.
KERNEL_INPUTS := $(shell find harness/arch/ suites/ \( -name 'test_*.c' -prune \) -o \
	-type f \( -name '*.[chS]' -o -name 'Kbuild' -o -name 'Makefile*' \
	-o -name 'Kconfig*' -o -name '*.config' \) -print) $(wildcard harness/patches/*.patch) \
	harness/include/kgrind_host_ops.h

VALGRIND := valgrind --tool=memcheck --leak-check=full \
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \
	--error-exitcode=99 --num-callers=40 --fair-sched=yes \
	--child-silent-after-fork=yes \
	--suppressions=$(TOP)/harness/valgrind.supp

.SECONDARY:

.PHONY: all deps setup kernel suites test native memcheck bench menuconfig clean distclean

all: suites

deps:
	@KSRC="$(KSRC)" scripts/deps.sh check

setup:
	@KSRC="$(KSRC)" scripts/deps.sh install

$(BUILD)/kernel-tree.stamp: scripts/prepare-kernel.sh $(wildcard harness/patches/*.patch) | deps
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	@mkdir -p $(BUILD) && touch $@

$(KOBJ)/.config: harness/arch/configs/kgrind.config harness/arch/Kconfig $(BUILD)/kernel-tree.stamp
	@mkdir -p $(KOBJ)
	+@$(KMAKE) -s allnoconfig

$(KOBJ)/vmlinux: $(KOBJ)/.config $(KERNEL_INPUTS)
	@KSRC="$(KSRC)" scripts/prepare-kernel.sh $(KTREE) $(TOP)
	+$(KMAKE) vmlinux
	@touch $@

# The kernel with every symbol local except the kg_* entry points.
$(BUILD)/kgrind.o: $(KOBJ)/vmlinux
	@undefined=$$(nm -u $< | awk '{print $$2}'); \
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

native: suites
	@scripts/run-suites.sh native $(SUITE_BINS)

memcheck: suites
	@VALGRIND="$(VALGRIND)" scripts/run-suites.sh memcheck $(SUITE_BINS)

test: suites
	@scripts/run-suites.sh native $(SUITE_BINS)
	@VALGRIND="$(VALGRIND)" scripts/run-suites.sh memcheck $(SUITE_BINS)

bench: suites $(BUILD)/bench/kgbench
	@VALGRIND="$(VALGRIND)" scripts/bench.sh $(BUILD)/bench/kgbench $(BUILD)/suites/boot/test_boot

$(BUILD)/bench/kgbench: bench/kgbench.c $(HOST_OBJS) $(BUILD)/kgrind.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

menuconfig: $(KOBJ)/.config
	+$(KMAKE) menuconfig

clean:
	rm -rf $(BUILD)/host $(BUILD)/suites $(BUILD)/bench $(BUILD)/kgrind.o $(BUILD)/memcheck

distclean:
	rm -rf $(BUILD)
