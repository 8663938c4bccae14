# userland/userland.mk -- the user programs, their libc, and the initrd.
#
# Included by the top Makefile after CC, CROSS, BUILD, LAB, SOLVED,
# LIBGCC, OBJCOPY and PYTHON are set. Targets:
#
#   userland               every program, linked to $(BUILD)/userland/bin/NAME
#                          (userland/bin/NAME.c and userland/tests/NAME.c)
#   $(BUILD)/initrd.cpio   the initrd (also: make initrd): a newc cpio archive
#                          with bin/NAME for every program (without debug
#                          sections), bad/NAME for the five malformed
#                          ELF files of tools/make-bad-elves.py and, from
#                          lab 6, httpd's www/ (userland/www/ + 1m.bin)
#   test-userland-host     Criterion tests (ASan+UBSan) of the libc's pure
#                          parts: the start code's stack walk, malloc over
#                          a fake sbrk, the shell's word splitter, stdio
#                          over fake descriptors, exit/atexit, getopt,
#                          the shell's parser (userland/bin/sh/), the rows
#                          of cpus and locks (kernel/abi/cpuinfo.h, lockinfo.h)
#
# THE LIBC ($(BUILD)/userland/libc.a) is userland/lib/*.c and *.S except
# crt0.S (linked first, on its own), plus libk's string, format, snprintf
# and strtol code compiled again with the user flags. User code sees only
# userland/include and kernel/abi; the libc's headers include libk's for
# the functions libk defines (see userland/include/assert.h for why).
#
# FLOATING POINT: user code may use it, and t_fpu must: -march=i686 has no
# SSE, so GCC computes float and double on the x87 FPU (-mfpmath=387 says
# so explicitly). The kernel must save and restore the x87 state.

USERLAND_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

UBUILD  := $(BUILD)/userland
UOBJ    := $(UBUILD)/obj
UROOT   := $(UBUILD)/root
UAR     := $(CROSS)ar

U_CFLAGS := -std=gnu11 -march=i686 -mfpmath=387 -ffreestanding -fno-pie \
            -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
            -fno-delete-null-pointer-checks -fno-asynchronous-unwind-tables \
            -O2 -g $(DEBUG_PREFIX) -Wall -Wextra -Werror \
            -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
            -Iuserland/include -Ikernel/abi -MMD -MP \
            -DLAB=$(LAB) -DSOLVED=$(SOLVED)
U_ASFLAGS := $(U_CFLAGS) -D__ASSEMBLY__
# -no-pie: a host gcc builds PIE by default. --build-id=none: no note
# section to load. max-page-size: segments on 4 KiB pages, as user.ld
# lays them out (the default on i386, said for cross linkers).
# noexecstack: the .S files carry no .note.GNU-stack (as the kernel's).
U_LDFLAGS := -march=i686 -ffreestanding -fno-pie -no-pie -nostdlib -static \
             -Wl,-T,userland/user.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
             -Wl,-z,noexecstack

ULIBK_SRCS := libk/format.c libk/snprintf.c libk/string.c libk/strtol.c
ULIBC_SRCS := $(filter-out userland/lib/crt0.S,$(wildcard userland/lib/*.c userland/lib/*.S))
ULIBC_OBJS := $(patsubst userland/%,$(UOBJ)/%.o,$(ULIBC_SRCS)) \
              $(patsubst libk/%,$(UOBJ)/libk/%.o,$(ULIBK_SRCS))
UCRT0      := $(UOBJ)/lib/crt0.S.o
ULIBC      := $(UBUILD)/libc.a

# Programs: userland/bin/NAME.c and userland/tests/NAME.c, each installed
# as /bin/NAME; each is one file, except that userland/bin/NAME/*.c, if
# that directory exists, is linked in too.
# Lab 6's programs (the network ones, and cksum for httpd's uploads) are
# likewise all inside `#if LAB >= 6`.
ULAB6_PROGS := $(addprefix userland/bin/,ping.c udpecho.c httpd.c wget.c cksum.c netstat.c lspci.c)
# Lab 5's (cpus and locks: their system calls are lab 5's) likewise.
ULAB5_PROGS := $(addprefix userland/bin/,cpus.c locks.c)
UPROG_SRCS := $(filter-out $(if $(filter 1 2 3 4,$(LAB)),$(ULAB5_PROGS)) \
                           $(if $(filter 1 2 3 4 5,$(LAB)),$(ULAB6_PROGS)),$(wildcard userland/bin/*.c))
# A lab-5 program's whole source is inside `#if LAB >= 5`: before lab 5
# it is not built (the lab-4 handout does not have it at all).
ULAB5_TESTS := userland/tests/t_futex.c
# Lab 6's likewise (sockets).
ULAB6_TESTS := userland/tests/t_socket.c
UTEST_SRCS := $(filter-out $(if $(filter 1 2 3 4,$(LAB)),$(ULAB5_TESTS)) \
                           $(if $(filter 1 2 3 4 5,$(LAB)),$(ULAB6_TESTS)),$(wildcard userland/tests/*.c))
UPROGS     := $(patsubst userland/bin/%.c,$(UBUILD)/bin/%,$(UPROG_SRCS))
UTESTS     := $(patsubst userland/tests/%.c,$(UBUILD)/bin/%,$(UTEST_SRCS))
ifneq ($(filter $(UPROGS),$(UTESTS)),)
$(error userland: bin/ and tests/ both have $(notdir $(filter $(UPROGS),$(UTESTS))))
endif
# A program may have more files in userland/bin/NAME/ (sh's parser):
# they are linked into /bin/NAME after NAME.c.
UPROG_PARTS := $(wildcard userland/bin/*/*.c)
$(foreach d,$(sort $(patsubst userland/bin/%/,%,$(dir $(UPROG_PARTS)))),\
    $(eval $(UBUILD)/bin/$(d): $(patsubst userland/%,$(UOBJ)/%.o,$(wildcard userland/bin/$(d)/*.c))))
# The same for a test: userland/tests/NAME/*.c goes into /bin/NAME, for
# a NAME that is a test (userland/tests/host/ is the host tests' own).
UTEST_PARTS := $(foreach t,$(patsubst userland/tests/%.c,%,$(UTEST_SRCS)),\
                 $(wildcard userland/tests/$(t)/*.c))
$(foreach d,$(sort $(patsubst userland/tests/%/,%,$(dir $(UTEST_PARTS)))),\
    $(eval $(UBUILD)/bin/$(d): $(patsubst userland/%,$(UOBJ)/%.o,$(wildcard userland/tests/$(d)/*.c))))
# The system-call fuzzer (issue 17): every userland/fuzz/*.c linked into
# /bin/sysfuzz (sysfuzz.c has main; the others are its parts, the pure
# ones also in the host tests below).
UFUZZ_SRCS := $(wildcard userland/fuzz/*.c)
UFUZZ      := $(if $(UFUZZ_SRCS),$(UBUILD)/bin/sysfuzz)
UFUZZ_OBJS := $(patsubst userland/%,$(UOBJ)/%.o,$(UFUZZ_SRCS))
UOBJS := $(UCRT0) $(ULIBC_OBJS) $(patsubst userland/%,$(UOBJ)/%.o,$(UPROG_SRCS) $(UTEST_SRCS) \
                                                                  $(UPROG_PARTS) $(UTEST_PARTS)) \
         $(UFUZZ_OBJS)

.PHONY: userland initrd test-userland-host

userland: $(UPROGS) $(UTESTS) $(UFUZZ)  ## build the user programs (build/userland/bin/NAME)

initrd: $(BUILD)/initrd.cpio            ## build the initrd (build/initrd.cpio: bin/NAME, bad/NAME)

$(UOBJ)/%.c.o: userland/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(U_CFLAGS) -c $< -o $@

$(UOBJ)/%.S.o: userland/%.S
	@mkdir -p $(@D)
	$(call say,AS,$<)$(CC) $(U_ASFLAGS) -c $< -o $@

# libk's sources, with the user flags. Their quoted includes ("string.h")
# find userland/include first, so the compiler checks libk's definitions
# against the very declarations user programs see.
$(UOBJ)/libk/%.c.o: libk/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(U_CFLAGS) $(LIBK_CFLAGS) -c $< -o $@

$(ULIBC): $(ULIBC_OBJS)
	$(call say,AR,$@)rm -f $@ && $(UAR) rcs $@ $^

# libgcc in a group with the libc: the compiler may call its helpers
# (64-bit division, ...), and they may call back into the libc (abort).
ULINK = mkdir -p $(@D) && $(CC) $(U_LDFLAGS) -o $@ $(UCRT0) $< $(filter $(UOBJ)/bin/% $(UOBJ)/tests/%,$(wordlist 2,99,$^)) -Wl,--start-group $(ULIBC) $(LIBGCC) -Wl,--end-group

$(UPROGS): $(UBUILD)/bin/%: $(UOBJ)/bin/%.c.o $(UCRT0) $(ULIBC) userland/user.ld
	$(call say,LD,$@)$(ULINK)

$(UTESTS): $(UBUILD)/bin/%: $(UOBJ)/tests/%.c.o $(UCRT0) $(ULIBC) userland/user.ld
	$(call say,LD,$@)$(ULINK)

$(UFUZZ): $(UFUZZ_OBJS) $(UCRT0) $(ULIBC) userland/user.ld
	$(call say,LD,$@)mkdir -p $(@D) && $(CC) $(U_LDFLAGS) -o $@ $(UCRT0) $(UFUZZ_OBJS) \
	    -Wl,--start-group $(ULIBC) $(LIBGCC) -Wl,--end-group

-include $(UOBJS:.o=.d)

# ---- the initrd -------------------------------------------------------
#
# Staged in $(UROOT) as the archive will hold it: bin/NAME, bad/NAME.
# Member names have no leading "/" or "./"; the list is sorted (LC_ALL=C)
# and holds the directories "bad" and "bin" before their files; every
# member is owned by root (-R 0:0), with inode numbers 1, 2, ... and no
# device numbers (--reproducible). Programs and bad files are 0755 (a
# bad file is "executable" so that no permission check can hide
# ENOEXEC), directories 0755.

UBAD_NAMES := bad-magic wrong-machine kernel-segment filesz-over-memsz truncated
UINITRD_BIN := $(patsubst $(UBUILD)/bin/%,$(UROOT)/bin/%,$(UPROGS) $(UTESTS) $(UFUZZ))
UINITRD_MEMBERS := bad $(addprefix bad/,$(UBAD_NAMES)) bin \
                   $(patsubst $(UROOT)/%,%,$(UINITRD_BIN))

# From lab 6: httpd's document root www/ (httpd -d, default /www): the
# committed pages of userland/www/ and 1m.bin, 1 MiB generated here by
# tools/make-www-blob.py (deterministic; not committed). Files are 0644.
UWWW_SRCS  := $(wildcard userland/www/*)
UWWW_FILES := $(if $(filter 1 2 3 4 5,$(LAB)),,$(patsubst userland/www/%,$(UROOT)/www/%,$(UWWW_SRCS)) $(UROOT)/www/1m.bin)
UINITRD_MEMBERS += $(if $(UWWW_FILES),www $(patsubst $(UROOT)/%,%,$(UWWW_FILES)))

$(UROOT)/www/%: userland/www/%
	@mkdir -p $(@D)
	$(Q)cp $< $@ && chmod 0755 $(@D) && chmod 0644 $@

$(UROOT)/www/1m.bin: tools/make-www-blob.py
	@mkdir -p $(@D)
	$(call say,GEN,$@)$(PYTHON) tools/make-www-blob.py 1048576 $@ && chmod 0755 $(@D) && chmod 0644 $@

# The debug sections stay in $(UBUILD)/bin (for GDB), not in the initrd.
$(UROOT)/bin/%: $(UBUILD)/bin/%
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-debug $< $@ && chmod 0755 $(@D) $@

# One run of the script writes all five files; the stamp stands for them.
$(UBUILD)/bad.stamp: $(UROOT)/bin/hello tools/make-bad-elves.py
	@mkdir -p $(UROOT)/bad
	$(call say,BADELF,$(UROOT)/bad)$(PYTHON) tools/make-bad-elves.py $< $(UROOT)/bad
	$(Q)chmod 0755 $(UROOT)/bad && touch $@

# The member list, rewritten only when it changes: so a program that is
# added or removed rebuilds the archive, and nothing else does.
$(UBUILD)/initrd.list: FORCE
	@mkdir -p $(@D)
	$(Q)printf '%s\n' $(UINITRD_MEMBERS) | LC_ALL=C sort > $@.new
	$(Q)if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(BUILD)/initrd.cpio: $(UBUILD)/initrd.list $(UINITRD_BIN) $(UBUILD)/bad.stamp $(UWWW_FILES)
	$(call say,CPIO,$@)cd $(UROOT) && \
	    cpio -o -H newc -R 0:0 --reproducible --quiet < $(abspath $(UBUILD)/initrd.list) \
	    > $(abspath $@).new
	$(Q)mv $@.new $@

# ---- host tests ---------------------------------------------------------
#
# The pure files include the libc's own headers with quotes ("words.h")
# and standard ones with angle brackets, so -iquote makes them find ours
# and glibc's respectively. malloc.c is built with its names changed
# (tests/host/host_names.h) so that it does not replace glibc's malloc.

UHOST_BUILD := $(BUILD)/host/userland
UHOST_BIN   := $(UHOST_BUILD)/userland-tests
UHOST_LIB   := userland/lib/startinfo.c userland/lib/malloc.c userland/lib/words.c \
               userland/lib/regex.c userland/lib/wcount.c \
               $(addprefix userland/fuzz/,rng.c values.c calls.c) \
               $(wildcard userland/lib/cksum.c)
UHOST_SH    := userland/bin/sh/shlex.c userland/bin/sh/shparse.c userland/bin/sh/vars.c
# Lab 6's (absent from earlier handouts, hence the wildcards).
UHOST_HTTPD := $(wildcard userland/bin/httpd/http_request.c)
UHOST_TESTS := $(wildcard userland/tests/host/*.c)
UHOST_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -fno-strict-aliasing -Wall -Wextra -Werror \
                -iquote userland/include -iquote userland/lib -iquote kernel/abi \
                -iquote userland/bin/sh -iquote userland/bin -iquote userland/fuzz \
                -DLAB=$(LAB) -DSOLVED=$(SOLVED)

# The libc's stdio, exit, getopt and string extras, with libk's formatter,
# are compiled for the host against the libc's own headers (-nostdinc, as
# for the target), their names renamed and their system calls sent to the
# doubles of tests/host/fake_fd.c (tests/host/host_libc_names.h says how).
UHOST_LIBC_SRCS := $(addprefix userland/lib/,file.c fread.c fwrite.c printf.c exit.c \
                     getopt.c strings.c qsort.c abs.c strerror.c sleep.c) \
                   libk/format.c libk/snprintf.c
UHOST_LIBC_OBJS := $(patsubst %.c,$(UHOST_BUILD)/libc/%.o,$(notdir $(UHOST_LIBC_SRCS)))
UHOST_LIBC_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
                     -fno-omit-frame-pointer -fno-strict-aliasing -Wall -Wextra -Werror \
                     -ffreestanding -nostdinc -isystem $(shell $(HOSTCC) -print-file-name=include) \
                     -Iuserland/include -Ikernel/abi -iquote userland/lib \
                     -DLAB=$(LAB) -DSOLVED=$(SOLVED) -DHOST_LIBC_UNDER_TEST -include userland/tests/host/host_libc_names.h

$(UHOST_BUILD)/libc/%.o: userland/lib/%.c userland/tests/host/host_libc_names.h \
                         $(wildcard userland/include/*.h userland/include/sys/*.h userland/lib/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(UHOST_LIBC_CFLAGS) -c $< -o $@

$(UHOST_BUILD)/libc/%.o: libk/%.c userland/tests/host/host_libc_names.h
	@mkdir -p $(@D)
	$(HOSTCC) $(UHOST_LIBC_CFLAGS) -c $< -o $@

$(UHOST_BIN): $(UHOST_LIB) $(UHOST_SH) $(UHOST_HTTPD) $(UHOST_TESTS) $(UHOST_LIBC_OBJS) userland/tests/host/host_names.h \
              $(wildcard userland/include/*.h userland/lib/*.h userland/tests/host/*.h userland/bin/sh/*.h userland/bin/httpd/*.h \
                         userland/fuzz/*.h)
	@mkdir -p $(UHOST_BUILD)
	$(HOSTCC) $(UHOST_CFLAGS) -include userland/tests/host/host_names.h \
	    -c userland/lib/malloc.c -o $(UHOST_BUILD)/malloc.o
	$(HOSTCC) $(UHOST_CFLAGS) -o $@ $(UHOST_BUILD)/malloc.o $(UHOST_LIBC_OBJS) \
	    $(filter-out userland/lib/malloc.c,$(UHOST_LIB)) $(UHOST_SH) $(UHOST_HTTPD) $(UHOST_TESTS) -lcriterion

test-userland-host: $(UHOST_BIN)        ## host tests of the libc's pure parts (Criterion)
	$(UHOST_BIN) --jobs 2

.DEFAULT_GOAL := $(USERLAND_SAVED_DEFAULT_GOAL)
