# kgrind-run: an unmodified program with its system calls served by the
# library kernel (harness/programs/, scripts/kgrind-run).
#
# libkgrind-run.so holds the kernel object, the host operations and the
# bridge, built position-independent: kgrind-run preloads it.

PROGRAMS_BUILD := $(BUILD)/programs
PROGRAMS_LIB := $(PROGRAMS_BUILD)/libkgrind-run.so
PROGRAMS_SRCS := $(wildcard harness/programs/*.c) $(wildcard harness/programs/*.S)
PROGRAMS_OBJS := $(patsubst %,$(PROGRAMS_BUILD)/obj/%.o,$(basename $(HOST_SRCS) $(PROGRAMS_SRCS)))
PROGRAMS_CFLAGS := $(filter-out -fno-pie,$(CFLAGS)) -fPIC -fvisibility=hidden \
	-I$(PROGRAMS_BUILD)

.PHONY: programs

# The x86-64 system calls of the kernel tree in use, each with the
# library kernel's number for the same name when it has one.  (The tree
# is there once the kernel is built: kgrind_nr.h comes from that build.)
PROGRAMS_X86_TABLE := $(KTREE)/arch/x86/entry/syscalls/syscall_64.tbl
$(PROGRAMS_BUILD)/x86_64_syscalls.h: $(BUILD)/include/kgrind_nr.h
	@mkdir -p $(dir $@)
	@awk '$$1 ~ /^[0-9]+$$/ && $$2 != "x32" { \
		printf "#ifdef KG_NR_%s\nKG_X86(%s, %s, KG_NR_%s)\n#else\nKG_X86(%s, %s, -1)\n#endif\n", \
			$$3, $$1, $$3, $$3, $$1, $$3 }' $(PROGRAMS_X86_TABLE) > $@.tmp && mv $@.tmp $@

$(PROGRAMS_BUILD)/obj/%.o: %.c $(PROGRAMS_BUILD)/x86_64_syscalls.h $(wildcard harness/include/*.h host-valgrind/*.h harness/lib/*.h harness/programs/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PROGRAMS_CFLAGS) -c $< -o $@

$(PROGRAMS_BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

# The library from the host objects and one kernel object (make kselftest
# links its own kernel's the same way).
define link_run_lib
	$(CC) -shared -pthread -Wl,-z,noexecstack -Wl,--no-undefined -o $@ $^ \
		-lcapstone $(LDLIBS)
endef

$(PROGRAMS_LIB): $(PROGRAMS_OBJS) $(BUILD)/kgrind.o
	$(link_run_lib)

programs: deps $(PROGRAMS_LIB)

# One program against the library kernel, as scripts/kgrind-run runs it:
# make run-program CMD='ls -la /proc' RUN_OPTS='--memcheck --timeout 60'
.PHONY: run-program
run-program: programs
	@test -n "$(CMD)" || { echo "make run-program wants CMD='PROGRAM ARGS...'" >&2; exit 2; }
	@$(TOP)/scripts/kgrind-run $(RUN_OPTS) -- $(CMD)

# make bench's program: a call's cost on the host and through the bridge.
$(PROGRAMS_BUILD)/bench/bridge_cost: bench/bridge_cost.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -o $@ $<

# kgrind-run's own test programs (harness/programs/tests), built with the
# host's compiler and headers, each run natively and under memcheck: a
# failed test point or a memcheck report in the kernel fails.  host_safety
# runs against a host file of its own, which check_host_safety checks.
PROGRAMS_TESTS := $(patsubst harness/programs/tests/%.c,$(PROGRAMS_BUILD)/tests/%,\
	$(wildcard harness/programs/tests/*.c))
PROGRAMS_SAFETY := $(TOP)/harness/programs/tests/check_host_safety

$(PROGRAMS_BUILD)/tests/%: harness/programs/tests/%.c harness/programs/tests/tap.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -pthread -o $@ $<

.PHONY: programs-test
# Each run's KTAP must be one the kernel tree's kunit.py parses.
programs-test: programs $(PROGRAMS_TESTS)
	@set -e; for t in $(PROGRAMS_TESTS); do \
		for mode in "" --memcheck; do \
			r=$(PROGRAMS_BUILD)/reports/$$(basename $$t)$${mode:+.memcheck}; \
			echo "== kgrind-run $$mode $$(basename $$t)"; \
			$$(case $$t in */host_safety) echo $(PROGRAMS_SAFETY);; esac) \
			$(TOP)/scripts/kgrind-run $$mode --timeout 300 --reports $$r \
				--ktap $$r/result.ktap --junit $$r/junit.xml -- $$t; \
			$(KTREE)/tools/testing/kunit/kunit.py parse $$r/result.ktap > $$r/parsed.txt; \
		done; \
	done
	@echo "== kgrind-run --copy-in, --copy-out: a tree there and back"
	@rm -rf $(PROGRAMS_BUILD)/copied && $(TOP)/scripts/kgrind-run --reports $(PROGRAMS_BUILD)/reports/copy \
		--copy-in $(TOP)/harness/programs/tests:/src --copy-out /src:$(PROGRAMS_BUILD)/copied -- ls /src \
		> /dev/null && diff -r $(TOP)/harness/programs/tests $(PROGRAMS_BUILD)/copied
	@echo "== kgrind-run --lib a copy of the library, under another name"
	@cp $(PROGRAMS_LIB) $(PROGRAMS_BUILD)/renamed-kgrind.so && \
		$(TOP)/scripts/kgrind-run --lib $(PROGRAMS_BUILD)/renamed-kgrind.so \
		--reports $(PROGRAMS_BUILD)/reports/renamed -- true
	@echo "== kgrind-run: bad input gets one line naming it, and exit 125"
	@for bad in "--reports $(TOP)/README.md -- true" "-- /nonexistent/program"; do \
		out=$$($(TOP)/scripts/kgrind-run $$bad 2>&1) && rc=0 || rc=$$?; \
		[ $$rc = 125 ] && [ "$$(echo "$$out" | wc -l)" = 1 ] || \
			{ echo "kgrind-run $$bad: exit $$rc: $$out"; exit 1; }; \
	done
	@echo "all passed (programs-test)"
