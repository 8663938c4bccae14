# libk/libk.mk -- libk's part of the build; included by the top Makefile.
#
# Provides
#   LIBK_SRCS    libk's C sources.  The top Makefile compiles them into
#                the kernel with the kernel's CFLAGS plus $(LIBK_CFLAGS)
#                and -Ilibk/include.
#   LIBK_CFLAGS  extra flags libk objects need in the kernel (below).
#   test-libk    runs the two checks below, then the host unit tests
#                (Criterion, ASan + UBSan, built into build/host/libk/).
#   test-libk-freestanding
#                compiles every libk source and header with the kernel's
#                i386 flags and checks that the objects need nothing from
#                outside libk (no libgcc helpers such as __udivdi3).
#   test-libk-m32
#                the differential tests (snprintf, strtol against the C
#                library) again as a 32-bit program, where long, size_t
#                and pointers have the kernel's sizes.
#
# HEADER NAMES.  libk's headers are named like libc's (string.h,
# stdio.h, ...) so that kernel code reads like ordinary C.  The two
# builds find them differently:
#
#   Kernel: -nostdinc -Ilibk/include.  There is no libc, so
#     #include <string.h> anywhere means libk's.  Only the compiler's
#     freestanding headers (stddef.h, stdint.h, stdarg.h, stdbool.h)
#     come from elsewhere.  libk has its own limits.h: GCC's does not
#     work under -nostdinc (it #include_next's a libc limits.h).
#
#   Host tests: glibc, ASan and Criterion must keep glibc's headers and
#     functions, and the differential tests call libk's vsnprintf and
#     glibc's snprintf in one program.  Two rules make that work:
#     1. Inside libk, sources and headers include libk headers with
#        quotes ("string.h") and compiler headers with angle brackets
#        (<stdint.h>).  The host build adds libk/include with -iquote,
#        which serves only quoted includes: a <string.h> in glibc or
#        Criterion still finds glibc's.
#     2. Every libk source is compiled with -include
#        libk/tests/host_names.h, which #defines each libc-named symbol
#        to libk_NAME (memcpy -> libk_memcpy, ...), so the host objects
#        export libk_* and never clash with glibc.  Tests include
#        libk/tests/libk_test.h (last), which declares the libk_*
#        functions and then #undefs the renames (host_names_undo.h,
#        generated below from host_names.h), so in a test `snprintf`
#        is glibc's and `libk_snprintf` is ours.
#
# LIBK_CFLAGS and the host flags both carry
#   -fno-tree-loop-distribute-patterns
# because GCC can recognise the byte loop in memset (or memcpy, memmove)
# as "a memset" and compile it into a call to memset -- inside memset
# itself, infinite recursion.  Recent GCCs refrain under -ffreestanding,
# older ones did not (GCC bug 56888), hosted builds always may; the flag
# rules it out everywhere.  The host objects also get -ffreestanding
# (implies -fno-builtin), so GCC does not treat libk_*'s namesakes as
# the builtins it knows.

# Variables used from outside (all optional): HOSTCC, LIBK_HOST_BUILD,
# LIBK_TEST_ARGS, LIBK_KCC.  Including this file does not change the
# includer's default goal.

LIBK_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

LIBK_SRCS := \
	libk/bitmap.c \
	libk/format.c \
	libk/ringbuf.c \
	libk/snprintf.c \
	libk/string.c \
	libk/strtol.c

LIBK_CFLAGS := -fno-tree-loop-distribute-patterns

# ---- host unit tests --------------------------------------------------

HOSTCC ?= gcc
LIBK_HOST_BUILD ?= build/host/libk

# (Not libk/tests/m32/: that one is a plain program without Criterion.)
LIBK_TEST_SRCS := $(wildcard libk/tests/*.c)
LIBK_TEST_HEADERS := $(wildcard libk/tests/*.h) $(wildcard libk/include/*.h)
LIBK_TEST_BIN := $(LIBK_HOST_BUILD)/libk_tests
LIBK_HOST_UNDO := $(LIBK_HOST_BUILD)/host_names_undo.h

LIBK_HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
LIBK_HOST_COMMON := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fno-omit-frame-pointer $(LIBK_HOST_SANITIZE)
# libk itself, renamed to libk_* (see HEADER NAMES above).
LAB ?= 6
SOLVED ?= 6
LIBK_HOST_LIB_CFLAGS := $(LIBK_HOST_COMMON) -ffreestanding -DLAB=$(LAB) -DSOLVED=$(SOLVED) \
	-fno-tree-loop-distribute-patterns \
	-iquote libk/include -include libk/tests/host_names.h
# The tests: hosted, with glibc and Criterion.
LIBK_HOST_TEST_CFLAGS := $(LIBK_HOST_COMMON) \
	-iquote libk/include -iquote $(LIBK_HOST_BUILD)

LIBK_HOST_LIB_OBJS := $(patsubst libk/%.c,$(LIBK_HOST_BUILD)/lib/%.o,$(LIBK_SRCS))
LIBK_HOST_TEST_OBJS := $(patsubst libk/tests/%.c,$(LIBK_HOST_BUILD)/tests/%.o,$(LIBK_TEST_SRCS))

# Criterion runs every test in its own process; two workers keep the
# run short on small CI machines.  Override with LIBK_TEST_ARGS=...
LIBK_TEST_ARGS ?= --jobs 2

.PHONY: test-libk test-libk-freestanding test-libk-m32

test-libk: test-libk-freestanding test-libk-m32 $(LIBK_TEST_BIN) ## libk's unit tests (Criterion, ASan+UBSan) and checks
	$(LIBK_TEST_BIN) $(LIBK_TEST_ARGS)

$(LIBK_TEST_BIN): $(LIBK_HOST_LIB_OBJS) $(LIBK_HOST_TEST_OBJS)
	$(HOSTCC) $(LIBK_HOST_COMMON) -o $@ $^ -lcriterion

$(LIBK_HOST_BUILD)/lib/%.o: libk/%.c $(LIBK_TEST_HEADERS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(LIBK_HOST_LIB_CFLAGS) -c -o $@ $<

$(LIBK_HOST_BUILD)/tests/%.o: libk/tests/%.c $(LIBK_TEST_HEADERS) $(LIBK_HOST_UNDO)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(LIBK_HOST_TEST_CFLAGS) -c -o $@ $<

# One "#undef X" per "#define X libk_X" line, except those marked
# "stays renamed" (which do not end right after libk_X).
$(LIBK_HOST_UNDO): libk/tests/host_names.h
	@mkdir -p $(dir $@)
	sed -n 's/^#define \([A-Za-z_0-9]*\) libk_\1$$/#undef \1/p' $< > $@

# ---- the differential tests as a 32-bit program -----------------------

# Same flags, -m32: long, size_t and pointers as in the kernel.  Skipped
# (with a note) where the host cannot build 32-bit programs, or builds
# them but cannot run them (an x86-64 kernel without IA32 emulation, as on
# some VMs and CI sandboxes: exec fails with "Exec format error").
LIBK_M32_BUILD := $(LIBK_HOST_BUILD)/m32
LIBK_M32_BIN := $(LIBK_M32_BUILD)/libk_m32_tests
LIBK_M32_TEST_SRCS := libk/tests/diff_format.c libk/tests/diff_strtol.c \
	libk/tests/support.c libk/tests/m32/main.c
LIBK_M32_OBJS := $(patsubst libk/%.c,$(LIBK_M32_BUILD)/lib/%.o,$(LIBK_SRCS)) \
	$(patsubst libk/tests/%.c,$(LIBK_M32_BUILD)/tests/%.o,$(LIBK_M32_TEST_SRCS))
LIBK_M32_PROBE_BIN := $(LIBK_M32_BUILD)/probe
LIBK_M32_PROBE = mkdir -p $(LIBK_M32_BUILD) && echo 'int main(void) { return 0; }' | \
	$(HOSTCC) -m32 $(LIBK_HOST_SANITIZE) -x c - -o $(LIBK_M32_PROBE_BIN) 2>/dev/null

# The probe runs only when this target does, hence the recursive make
# (on the includer's makefile) instead of a plain prerequisite.
test-libk-m32: $(LIBK_HOST_UNDO) ## libk's differential tests as a 32-bit x86 program
	@if ! $(LIBK_M32_PROBE); then \
		echo "test-libk-m32: skipped: $(HOSTCC) -m32 cannot link" \
		     "programs here (gcc-multilib missing?)"; \
	elif ! (./$(LIBK_M32_PROBE_BIN)) 2>/dev/null; then \
		echo "test-libk-m32: skipped: this machine cannot run 32-bit" \
		     "x86 programs (kernel without IA32 emulation?)"; \
	else \
		$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) \
			$(LIBK_M32_BIN) && $(LIBK_M32_BIN); \
	fi

$(LIBK_M32_BIN): $(LIBK_M32_OBJS)
	$(HOSTCC) -m32 $(LIBK_HOST_COMMON) -o $@ $^

$(LIBK_M32_BUILD)/lib/%.o: libk/%.c $(LIBK_TEST_HEADERS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -m32 $(LIBK_HOST_LIB_CFLAGS) -c -o $@ $<

$(LIBK_M32_BUILD)/tests/%.o: libk/tests/%.c $(LIBK_TEST_HEADERS) $(LIBK_HOST_UNDO)
	@mkdir -p $(dir $@)
	$(HOSTCC) -m32 $(LIBK_HOST_TEST_CFLAGS) -c -o $@ $<

# ---- freestanding check -------------------------------------------------

# The kernel's flags (see DESIGN.md).  The compiler is the includer's
# $(CC) if it set one (gcc -m32 or an i686-elf-gcc), else gcc -m32.
LIBK_KCC ?= $(if $(filter file command override,$(origin CC)),$(CC),$(HOSTCC) -m32)
LIBK_KERNEL_CHECK_CFLAGS = -march=i686 -std=gnu11 -ffreestanding -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mgeneral-regs-only \
	-O2 -g -Wall -Wextra -Werror -nostdinc \
	-isystem $(shell $(LIBK_KCC) -print-file-name=include) \
	-Ilibk/include $(LIBK_CFLAGS) -DLAB=$(LAB) -DSOLVED=$(SOLVED)
LIBK_KERNEL_CHECK_OBJS := $(patsubst libk/%.c,$(LIBK_HOST_BUILD)/freestanding/%.o,$(LIBK_SRCS))

# 1. Every header compiles on its own (includes what it uses).
# 2. Every undefined symbol of the objects must be defined by libk
#    itself (or be __assert_fail, which the kernel provides).
# 3. No function calls itself through a relocation: that is the
#    memset-calls-memset recursion described above.
test-libk-freestanding: $(LIBK_KERNEL_CHECK_OBJS) ## libk compiles for i386 and needs nothing outside libk
	@for h in $(notdir $(wildcard libk/include/*.h)); do \
		echo "#include <$$h>" | $(LIBK_KCC) $(LIBK_KERNEL_CHECK_CFLAGS) \
			-x c -fsyntax-only - || { echo "libk: $$h does not stand alone"; exit 1; }; \
	done
	@defined=$$(nm --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u); \
	missing=$$(nm --undefined-only $^ | awk 'NF == 2 { print $$2 }' | sort -u | \
		grep -vxF -e __assert_fail $$(printf -- '-e %s ' $$defined)); \
	if [ -n "$$missing" ]; then \
		echo "libk needs symbols from outside libk:" $$missing; exit 1; \
	fi
	@objdump -dr $^ | awk '/^[0-9a-f]+ <.*>:$$/ { fn = substr($$2, 2, length($$2) - 3) } \
		/R_386_(PC|PLT)32/ && $$NF == fn { print "libk: " fn " calls itself"; bad = 1 } \
		END { exit bad }'
	@echo "libk freestanding check: OK ($(words $^) objects)"

$(LIBK_HOST_BUILD)/freestanding/%.o: libk/%.c $(wildcard libk/include/*.h)
	@mkdir -p $(dir $@)
	$(LIBK_KCC) $(LIBK_KERNEL_CHECK_CFLAGS) -c -o $@ $<

# Restore the includer's default goal (empty: the next target it defines).
.DEFAULT_GOAL := $(LIBK_SAVED_DEFAULT_GOAL)
