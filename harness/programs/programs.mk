# kgrind-run: an unmodified program with its system calls served by the
# library kernel (harness/programs/, scripts/kgrind-run).
#
# libkgrind-run.so holds the kernel object, the host operations and the
# bridge, built position-independent: kgrind-run preloads it.

PROGRAMS_BUILD := $(BUILD)/programs
PROGRAMS_LIB := $(PROGRAMS_BUILD)/libkgrind-run.so
PROGRAMS_SRCS := $(wildcard harness/programs/*.c)
PROGRAMS_OBJS := $(patsubst %.c,$(PROGRAMS_BUILD)/obj/%.o,$(HOST_SRCS) $(PROGRAMS_SRCS))
PROGRAMS_CFLAGS := $(filter-out -fno-pie,$(CFLAGS)) -fPIC -fvisibility=hidden \
	-I$(PROGRAMS_BUILD)

.PHONY: programs

# The x86-64 system calls of the kernel tree in use, each with the
# library kernel's number for the same name when it has one.
$(PROGRAMS_BUILD)/x86_64_syscalls.h: $(KTREE)/arch/x86/entry/syscalls/syscall_64.tbl $(BUILD)/include/kgrind_nr.h
	@mkdir -p $(dir $@)
	@awk '$$1 ~ /^[0-9]+$$/ && $$2 != "x32" { \
		printf "#ifdef KG_NR_%s\nKG_X86(%s, %s, KG_NR_%s)\n#else\nKG_X86(%s, %s, -1)\n#endif\n", \
			$$3, $$1, $$3, $$3, $$1, $$3 }' $< > $@.tmp && mv $@.tmp $@

$(PROGRAMS_BUILD)/obj/%.o: %.c $(PROGRAMS_BUILD)/x86_64_syscalls.h $(wildcard harness/include/*.h host-valgrind/*.h harness/lib/*.h harness/programs/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PROGRAMS_CFLAGS) -c $< -o $@

$(PROGRAMS_LIB): $(PROGRAMS_OBJS) $(BUILD)/kgrind.o
	$(CC) -shared -pthread -Wl,-z,noexecstack -Wl,--no-undefined -o $@ $^ \
		-lcapstone $(LDLIBS)

programs: deps $(PROGRAMS_LIB)
