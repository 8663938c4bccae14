# Tidepool -- top-level Makefile.
#
#   make qemu     build and boot the kernel, serial console on this terminal
#   make check    run every test
#   make help     list every target
#
# Any lab checkpoint builds straight from this tree: make LAB=n SOLVED=m
# (default: everything present and solved). See docs/protocol.md for how
# the kernel and the grader talk.

# The checkpoint this tree builds when nothing is said. In a lab handout
# the stager (labs/stage.py) rewrites these two lines.
LAB_DEFAULT    := 6
SOLVED_DEFAULT := 6
LAB     ?= $(LAB_DEFAULT)
SOLVED  ?= $(SOLVED_DEFAULT)
# make UNIKERNEL=1 PROG=NAME: userland/bin/NAME.c linked into the kernel
# image and run in ring 0 (docs/unikernel.md), built apart in its own
# directory; without UNIKERNEL nothing below changes.
ifeq ($(UNIKERNEL),1)
PROG    ?= bench
ifeq ($(LAB)/$(SOLVED),$(LAB_DEFAULT)/$(SOLVED_DEFAULT))
BUILD   ?= build-unikernel/$(PROG)
else
BUILD   ?= build-unikernel/lab$(LAB)-solved$(SOLVED)/$(PROG)
endif
endif
# make UBSAN=1 / KASAN=1 / KCSAN=1 (alone or together): the kernel with
# run-time checkers (docs/safety.md), built in its own directory --
# build/ubsan-kasan/kernel.elf, say -- so it never overwrites the plain one.
SANITIZE := $(strip $(if $(filter 1,$(UBSAN)),ubsan) $(if $(filter 1,$(KASAN)),kasan) \
                    $(if $(filter 1,$(KCSAN)),kcsan))
SANITIZE_DIR := $(subst $(eval) ,-,$(SANITIZE))
ifneq ($(SANITIZE),)
ifeq ($(LAB)/$(SOLVED),$(LAB_DEFAULT)/$(SOLVED_DEFAULT))
BUILD   ?= build/$(SANITIZE_DIR)
else
BUILD   ?= build/$(SANITIZE_DIR)/lab$(LAB)-solved$(SOLVED)
endif
endif
ifeq ($(LAB)/$(SOLVED),$(LAB_DEFAULT)/$(SOLVED_DEFAULT))
BUILD   ?= build
else
BUILD   ?= build/lab$(LAB)-solved$(SOLVED)
endif
KERNEL  := $(BUILD)/kernel.elf
ISO     ?= $(BUILD)/tidepool.iso

# ---- toolchain: an i686-elf cross compiler if there is one, else host gcc -m32
CROSS   ?= $(shell command -v i686-elf-gcc >/dev/null 2>&1 && echo i686-elf-)
# ccache (Debian's ccache), when it is installed and its cache can be
# written: a rebuild after `make clean`, a lab checkpoint or a mutant then
# compiles only the files that changed. CCACHE= turns it off.
CCACHE  ?= $(shell command -v ccache >/dev/null 2>&1 && t=$$(mktemp -d) && \
             echo 'int x;' > $$t/t.c && ccache gcc -c $$t/t.c -o $$t/t.o >/dev/null 2>&1 && \
             echo ccache; rm -rf $$t)
# Both found once, then handed down: the makes this one starts (make
# check's parts, a mutant's build, a lab's handout) inherit them instead
# of asking again -- the ccache probe compiles a file, about 0.1 CPU s
# of every make run. (:= first: make would expand an exported recursive
# variable again for every command it runs.)
CROSS   := $(CROSS)
CCACHE  := $(CCACHE)
export CROSS CCACHE
ifeq ($(CROSS),)
CC      := $(CCACHE) gcc -m32
LD      := ld -m elf_i386
else
CC      := $(CCACHE) $(CROSS)gcc
LD      := $(CROSS)ld
endif
NM      := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
SIZE    := $(CROSS)size
PYTHON  := /usr/bin/python3

# The debug info names source directories relative to the tree (GDB runs
# from its top, where .gdbinit is). So two copies of the same tree -- a
# lab handout and the merge test's checkout of it, two mutants -- compile
# to the same objects, and ccache hands the second one the first's: with
# the absolute path in the debug info it hashes the directory and misses.
DEBUG_PREFIX := -fdebug-prefix-map=$(CURDIR)=.
# The stack protector is always on, in every kernel (not userland, whose
# flags are U_CFLAGS): kernel/sanitizers/stack_protector.c sets the guard
# at boot and panics, naming the function, when a canary was overwritten.
# -mstack-protector-guard=global: the guard is a global, not %gs:0x14.
CFLAGS  := -std=gnu11 -march=i686 -ffreestanding -fno-pie -fstack-protector-strong -mstack-protector-guard=global \
           -fno-omit-frame-pointer -fno-strict-aliasing -fno-delete-null-pointer-checks \
           -fno-asynchronous-unwind-tables \
           -mgeneral-regs-only \
           -O2 -g $(DEBUG_PREFIX) -Wall -Wextra -Werror \
           -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
           -Ilibk/include -Ikernel -MMD -MP \
           -DLAB=$(LAB) -DSOLVED=$(SOLVED)
ASFLAGS := $(CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -T kernel/kernel.ld --no-dynamic-linker -z noexecstack
LIBGCC  := $(shell $(CC) -print-libgcc-file-name)

# The checkers' flags: each kernel/sanitizers/NAME.mk adds to SAN_CFLAGS
# when its variable is 1. Every kernel and libk object is compiled with
# them except the checkers' own runtimes (kernel/sanitizers/), which must
# not check themselves.
SAN_CFLAGS :=
-include $(sort $(wildcard kernel/sanitizers/*.mk))
$(BUILD)/kernel/sanitizers/%: SAN_CFLAGS :=

include libk/libk.mk
-include grading/grading.mk
-include slides/slides.mk
-include tools/gdb/gdb.mk
-include userland/userland.mk

# ---- unikernel mode: the kernel and the libc learn UNIKERNEL; the
# program's stripped ELF is carried in the kernel (arch/i386/unikernel.S)
ifeq ($(UNIKERNEL),1)
UNIKERNEL_ELF := $(UROOT)/bin/$(PROG)
CFLAGS   += -DUNIKERNEL -DUNIKERNEL_PROG='"$(PROG)"' -DUNIKERNEL_PROG_FILE='"$(UNIKERNEL_ELF)"'
ASFLAGS  += -DUNIKERNEL -DUNIKERNEL_PROG='"$(PROG)"' -DUNIKERNEL_PROG_FILE='"$(UNIKERNEL_ELF)"'
U_CFLAGS += -DUNIKERNEL
U_ASFLAGS += -DUNIKERNEL
$(BUILD)/kernel/arch/i386/unikernel.S.o: $(UNIKERNEL_ELF)
endif

KERNEL_SRCS := $(wildcard kernel/*.c kernel/*/*.c kernel/arch/i386/*.c kernel/arch/i386/*.S)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))
LIBK_OBJS   := $(patsubst %,$(BUILD)/%.o,$(LIBK_SRCS))
OBJS        := $(KERNEL_OBJS) $(LIBK_OBJS)

# ---- emulators
QEMU       ?= qemu-system-i386
# Asked the first time it is used (the GDB targets), not at every make run.
GDBPORT     = $(eval GDBPORT := $$(shell expr 25000 + `id -u` % 5000))$(GDBPORT)
ACCEL      ?= tcg
QEMUOPTS    = -m 128 -no-reboot -accel $(ACCEL)$(QEMU_TCG_THREADS) \
              -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_DISPLAY ?= none
CMDLINE    ?=
# make qemu SMP=N: N CPUs for the interactive targets (qemu, qemu-gdb,
# qemu-iso); tests and benchmarks choose their own. Default: 1 before
# lab 5 (one CPU is all those kernels use), 2 from lab 5 on -- every
# cross-CPU path (IPIs, TLB shootdowns, threads moving between CPUs) runs
# with 2, and 2 vCPUs fit this kind of 2-core host without making the
# vCPU threads fight for it (-smp 4 under TCG is 2.5-4x slower here).
# Several CPUs under TCG want one host thread per vCPU: thread=multi.
SMP        ?= $(if $(filter 1 2 3 4,$(LAB)),1,2)
QEMU_SMP    = -smp $(SMP)
comma      := ,
# Set (target-specific, below) only where QEMU_SMP is used.
QEMU_TCG_THREADS =
# make qemu NET=1 [HTTP_PORT=n] [UDP_PORT=n] [PCAP=file] (lab 6): an E1000 on
# QEMU's user networking (slirp: the guest gets 10.0.2.15 by DHCP, the
# gateway is 10.0.2.2), host 127.0.0.1:HTTP_PORT forwarded to the guest's
# port 80 and UDP_PORT to its UDP echo (7); PCAP=file captures the traffic
# (filter-dump). Default ports depend on the user id, so that users of one
# machine do not collide. Without NET=1, QEMU's default NIC (an E1000 on
# user networking, without forwarding) is what the guest sees.
HTTP_PORT  ?= $(shell expr 20000 + `id -u` % 5000)
UDP_PORT   ?= $(shell expr 30000 + `id -u` % 5000)
QEMU_NET    = $(if $(filter 1,$(NET)),-netdev user$(comma)id=n0$(comma)hostfwd=tcp:127.0.0.1:$(HTTP_PORT)-:80$(comma)hostfwd=udp:127.0.0.1:$(UDP_PORT)-:7 \
              -device e1000$(comma)netdev=n0 $(if $(PCAP),-object filter-dump$(comma)id=f0$(comma)netdev=n0$(comma)file=$(PCAP)))

.DEFAULT_GOAL := all
.PHONY: FORCE all kernel fuzz-kernel test-fuzz-kernel bench bench-net soak handout branches check-stage check-labs check-mutants help deps deps-build qemu qemu-nox qemu-gdb gdb iso qemu-iso \
        bochs bochs-debug check test-boot test-gdb test-kernel-host test-libk test-gdb grade selftest clean \
        test-userland-qemu run-unikernel test-unikernel fuzz test-fuzz \
        test-safety check-sanitized print-kernel test-hostile test-cpus

# From lab 4 on the kernel runs programs: the initrd (userland/userland.mk)
# is built with it and handed to QEMU (-initrd) and to GRUB (a module).
# A unikernel build has none: its one program is inside the kernel.
INITRD := $(if $(and $(wildcard userland/userland.mk),$(filter-out 1 2 3,$(LAB))),$(if $(filter 1,$(UNIKERNEL)),,$(BUILD)/initrd.cpio))
QEMU_INITRD = $(if $(INITRD),-initrd $(INITRD))

all: kernel                             ## build the kernel (build/kernel.elf) and, from lab 4, the initrd
kernel: $(KERNEL) $(INITRD)

# The kernel image these variables name (tools/check-labs.py asks it).
print-kernel:
	@echo $(KERNEL)

# ---- compiling (V=1 shows the whole commands)
V ?= 0
ifeq ($(V),0)
Q   := @
say  = @printf '  %-7s %s\n' $(1) $(2);
endif

$(BUILD)/libk/%.c.o: libk/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CFLAGS) $(SAN_CFLAGS) $(LIBK_CFLAGS) -c $< -o $@

$(BUILD)/%.c.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CFLAGS) $(SAN_CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(@D)
	$(call say,AS,$<)$(CC) $(ASFLAGS) -c $< -o $@

# ---- linking, twice: the second link adds the symbol table that the
# first one produced (kernel/symbols.c explains why this is stable).
$(BUILD)/ksyms-empty.S: tools/gen-ksyms.sh
	@mkdir -p $(@D)
	$(Q)sh tools/gen-ksyms.sh > $@

$(BUILD)/kernel-nosyms.elf: $(OBJS) $(BUILD)/ksyms-empty.o kernel/kernel.ld
	$(call say,LD,$@)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms-empty.o $(LIBGCC)

$(BUILD)/ksyms.S: $(BUILD)/kernel-nosyms.elf tools/gen-ksyms.sh
	$(call say,KSYMS,$@)NM=$(NM) sh tools/gen-ksyms.sh $< > $@

$(BUILD)/ksyms-empty.o: $(BUILD)/ksyms-empty.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(KERNEL): $(OBJS) $(BUILD)/ksyms.o kernel/kernel.ld
	$(call say,LD,$@)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o $(LIBGCC)
	$(Q)NM=$(NM) sh tools/check-ksyms.sh $(BUILD)/kernel-nosyms.elf $@
	$(Q)$(SIZE) $@

-include $(OBJS:.o=.d)

# A newcomer's first `make` on a machine without the toolchain names the
# missing Debian packages and the one command that installs them, instead
# of failing in the middle: gcc -m32 without gcc-multilib compiles every
# file and then cannot link (an undefined __udivdi3: libgcc's 64-bit
# division for 32 bits is not there). Checked before the first compile;
# costs no process of its own (LIBGCC and CC are already known).
TOOLCHAIN_MISSING = $(strip $(if $(shell command -v $(CROSS)gcc),,$(if $(CROSS),$(CROSS)gcc,gcc)) \
                    $(if $(shell command -v $(CROSS)ld),,binutils) \
                    $(if $(CROSS),,$(if $(wildcard $(LIBGCC)),,gcc-multilib)))
.PHONY: check-toolchain
$(OBJS): | check-toolchain
check-toolchain:
	@$(if $(TOOLCHAIN_MISSING),{ echo "make: cannot build the kernel: missing Debian packages: $(TOOLCHAIN_MISSING)"; \
	  echo "make: install them with:  sudo apt-get install -y --no-install-recommends $(TOOLCHAIN_MISSING)"; \
	  echo "make: (or: sudo make deps-build, which installs everything make qemu needs)"; } >&2; exit 2,:)

# ---- dependencies: install what is missing (or print the apt-get line)
deps:                                   ## install everything build and tests need
	@CROSS=$(CROSS) sh tools/deps.sh all
	@sh slides/deps.sh
deps-build:
	@CROSS=$(CROSS) sh tools/deps.sh build

# ---- running
qemu qemu-gdb qemu-iso: QEMU_TCG_THREADS = $(if $(and $(filter tcg,$(ACCEL)),$(filter-out 1,$(SMP))),$(comma)thread=multi)
qemu: deps-build kernel                 ## boot in QEMU, serial console here (quit: Ctrl-a x); NET=1: networking
	$(if $(filter 1,$(NET)),@echo "*** NET=1: curl http://127.0.0.1:$(HTTP_PORT)/ reaches the guest's port 80$(comma) nc -u 127.0.0.1 $(UDP_PORT) its UDP port 7")
	$(QEMU) $(QEMUOPTS) $(QEMU_SMP) -kernel $(KERNEL) $(QEMU_INITRD) -append "$(CMDLINE)" \
	    -display $(QEMU_DISPLAY) -serial mon:stdio -serial file:$(BUILD)/com2.txt $(QEMU_NET)

qemu-gdb: deps-build kernel             ## boot in QEMU paused, waiting for `make gdb`
	@echo "*** QEMU waits for GDB on port $(GDBPORT): run 'make gdb' in another terminal"
	$(QEMU) $(QEMUOPTS) $(QEMU_SMP) -kernel $(KERNEL) $(QEMU_INITRD) -append "$(CMDLINE)" \
	    -display $(QEMU_DISPLAY) -serial mon:stdio -serial file:$(BUILD)/com2.txt \
	    -S -gdb tcp::$(GDBPORT) $(QEMU_NET)

gdb: kernel                             ## attach GDB to `make qemu-gdb` (uses .gdbinit)
	TIDEPOOL_GDBPORT=$(GDBPORT) gdb -q -iex "add-auto-load-safe-path $(CURDIR)/.gdbinit" $(KERNEL)

# The ISO's GRUB passes CMDLINE to the kernel. grub.cfg is rewritten only
# when CMDLINE changes, so the ISO is rebuilt exactly when needed.
ISODIR := $(ISO:.iso=.root)
$(ISODIR)/boot/grub/grub.cfg: tools/grub.cfg FORCE
	@mkdir -p $(@D)
	$(Q)sed -e 's|@CMDLINE@|$(CMDLINE)|' \
	    -e 's|@MODULES@|$(if $(INITRD),module /boot/initrd.cpio initrd.cpio)|' $< > $@.new
	$(Q)if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(ISO): $(KERNEL) $(INITRD) $(ISODIR)/boot/grub/grub.cfg
	$(Q)cp $(KERNEL) $(ISODIR)/boot/kernel.elf
	$(Q)$(if $(INITRD),cp $(INITRD) $(ISODIR)/boot/initrd.cpio,true)
	$(call say,ISO,$@)grub-mkrescue -o $@ $(ISODIR) 2>$@.log || { cat $@.log; exit 1; }

FORCE:

iso: deps-build $(ISO)                  ## make a GRUB rescue ISO (build/tidepool.iso)

qemu-iso: deps-build $(ISO)             ## boot the GRUB ISO in QEMU
	$(QEMU) $(QEMUOPTS) $(QEMU_SMP) -cdrom $(ISO) -display $(QEMU_DISPLAY) \
	    -serial mon:stdio -serial file:$(BUILD)/com2.txt

bochs: deps $(ISO)                ## boot the ISO in Bochs, headless (COM1 on this terminal)
	BOCHS_NET=$(NET) BOCHS_HOSTFWD="$(if $(filter 1,$(NET)),tcp:127.0.0.1:$(HTTP_PORT)-:80 udp:127.0.0.1:$(UDP_PORT)-:7)" \
	    sh tools/bochs.sh run $(ISO) $(BUILD)/bochs

bochs-debug: deps $(ISO)          ## boot the ISO in Bochs' own debugger
	sh tools/bochs.sh debug $(ISO) $(BUILD)/bochs

# ---- tests
# make check's parts, in order: one line each, '[&]NAME=TARGET...'. A part's
# targets run one `make TARGET` each; VAR=value words go to every one of
# them (e.g. 'lab 4 grade=grade LAB=4'). To add a part, add one line here.
# tools/check.py runs them all, even after a failure, and ends with one
# line per part (passed, failed, seconds) and `N passed, N failed`.
# `make check CHECK_PARTS="libk=test-libk GDB=test-gdb"` runs only those.
# -j2 where a part is builds (the kernel, the decks) and nothing times out.
CHECK_PARTS := 'kernel=kernel -j2'
CHECK_PARTS += 'libk=test-libk -j2'
CHECK_PARTS += 'host kernel tests=test-kernel-host -j2'
# The mutants run in the background ('&': tools/check.py), from here on:
# their seed copies the kernel and host tests just built (check-mutants).
CHECK_PARTS += $(if $(wildcard tools/check-mutants.py),'&mutants=check-mutants')
# libFuzzer, a few seconds per harness (make fuzz: a minute each).
CHECK_PARTS += 'fuzz=test-fuzz -j2'
CHECK_PARTS += $(if $(wildcard userland/userland.mk),'userland host tests=test-userland-host -j2')
CHECK_PARTS += selftest=selftest
CHECK_PARTS += 'boot paths=test-boot'
# The GDB tests talk to QEMU over pipes (no ports): two at a time.
CHECK_PARTS += 'GDB=test-gdb test-gdb-commands GDB_TEST_ARGS=-n2'
# -j2 for the builds of each lab's checkpoint; the demos run one by one.
CHECK_PARTS += 'demos=test-demos -j2'
# The grader on this kernel. In the instructor's tree the labs part does
# it: its last lab's solution checkpoint is this kernel, graded with every
# public and hidden test; grading it twice cost two minutes.
CHECK_PARTS += $(if $(wildcard tools/check-labs.py),,grade=grade)
CHECK_PARTS += $(if $(wildcard grading/userland),'userland in QEMU=test-userland-qemu test-hostile test-unikernel -j2')
# The stager's tests (an instructor's check, absent from handouts), in the
# background from here: the parts from the checkers to the audit kept the
# cores only 70 to 86 % busy (ci16: two kernel builds whose links run
# alone, then graders of a few tests each), and the stager's tests, in
# /tmp, share nothing with them. (Beside the labs, ci11, it saved
# nothing: the labs keep both cores busy.)
CHECK_PARTS += $(if $(wildcard labs/stage.py),'&stager=check-stage')
# The run-time checkers (issue 16): their own tests, then the graded tests
# and the usertests on the checked kernels, where any report fails a test.
# In the instructor's tree the labs part grades the whole kernel built
# with UBSAN=1 KASAN=1 (check-labs --last-with); a student's tree, which
# has no check-labs, grades it here.
CHECK_PARTS += 'checkers=test-safety -j2'
CHECK_PARTS += $(if $(wildcard tools/check-labs.py),,'grade UBSan+KASAN=grade UBSAN=1 KASAN=1 -j2')
# Static analysis, in the background too, from here: cppcheck, gcc
# -fanalyzer and clang's analyzer in its shallow mode (make lint alone
# lets clang explore fully). Here, after the checkers: the parts from
# here to the audit are single graders of a few tests each and kept the
# cores 63 to 75 % busy (ci18, with the lint started before the checkers,
# where the stager and the mutants already filled them).
CHECK_PARTS += '&lint=lint LINT_CLANG_MODE=shallow'
CHECK_PARTS += $(if $(wildcard grading/userland),'usertests UBSan+KASAN=test-userland-qemu test-hostile UBSAN=1 KASAN=1 -j2')
# The system-call fuzzer, a short run on the checked kernel (issue 17;
# make fuzz-kernel: a million calls).
CHECK_PARTS += $(if $(wildcard grading/userland),'syscall fuzzer=test-fuzz-kernel')
CHECK_PARTS += $(if $(filter-out 1 2 3 4,$(LAB)),'lab 5 KCSAN=grade KCSAN=1 GRADE_ARGS=--lab=5 -j2')
CHECK_PARTS += audit=audit
# The class grader against hostile submissions (issue 18): mostly waiting
# (hung kernels, wall-time limits), so in the background.
CHECK_PARTS += $(if $(wildcard grading/class),'&class grading=test-grade-class test-gradescope')
CHECK_PARTS += 'slides=check-slides -j2'
# The instructor's checks: their tools do not ship in lab handouts.
CHECK_PARTS += $(if $(wildcard tools/check-labs.py),labs=check-labs)

check: deps                             ## run every test (host, kernel, grader, boot paths, GDB), then a summary
	@$(PYTHON) -B tools/check.py --make "$(MAKE)" $(CHECK_PARTS)

# Host unit tests for the kernel's pure logic (no hardware in it), with
# Criterion under ASan+UBSan, like libk's.
HOSTCC          ?= gcc
# Pure-logic kernel files of later labs are absent from earlier handouts.
KHOST_SRCS      := kernel/glob.c kernel/cmdline.c libk/bitmap.c \
                   $(wildcard kernel/kbdmap.c kernel/mm/frames.c kernel/mm/heap.c \
                     kernel/proc/runqueue.c kernel/proc/timerq.c \
                     kernel/fs/cpio.c kernel/fs/ramfs.c kernel/proc/elf.c kernel/fs/ldisc.c \
                     kernel/arch/i386/acpi.c kernel/sync/lockdep_graph.c kernel/sync/futex_queue.c)
# Lab 6's packet code: kernel/net is pure logic, except the kernel glue
# (locks, threads, the NIC, syscalls) listed in NET_KERNEL_ONLY.
NET_KERNEL_ONLY := $(wildcard kernel/net/stack.c kernel/net/socket*.c kernel/net/sys_*.c)
NET_PURE_SRCS   := $(filter-out $(NET_KERNEL_ONLY),$(wildcard kernel/net/*.c))
KHOST_SRCS      += $(NET_PURE_SRCS)
# The checkers' pure parts (kernel/sanitizers/): UBSan's value decoding;
# KASAN's shadow encoding, quarantine and block layout.
KHOST_SRCS      += kernel/sanitizers/ubsan_value.c
KHOST_SRCS      += kernel/sanitizers/kasan_shadow.c kernel/sanitizers/kasan_quarantine.c \
                   kernel/sanitizers/kasan_layout.c
# KCSAN's watchpoint table and sampler (lab 5, make KCSAN=1).
KHOST_SRCS      += $(wildcard kernel/sanitizers/kcsan_watch.c kernel/sanitizers/kcsan_sample.c)
KHOST_TESTS     := $(wildcard kernel/tests/host/*.c)
# One object per source (ccache, -j, and a mutant's copy recompiles only
# the file its patch touched); -MMD keeps each object's header list.
KHOST_CFLAGS    := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
                   $(DEBUG_PREFIX) -Wall -Wextra -Werror -DLAB=$(LAB) -DSOLVED=$(SOLVED) -Ikernel -iquote libk/include
KHOST_OBJS      := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(KHOST_SRCS) $(KHOST_TESTS))
$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CCACHE) $(HOSTCC) $(KHOST_CFLAGS) -MMD -MP -c $< -o $@
-include $(KHOST_OBJS:.o=.d)
$(BUILD)/host/kernel-tests: $(KHOST_OBJS)
	$(HOSTCC) -fsanitize=address,undefined $^ -lcriterion -o $@

test-kernel-host: $(BUILD)/host/kernel-tests   ## host tests of the kernel's pure logic (Criterion)
	LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp $(BUILD)/host/kernel-tests

# libFuzzer harnesses, one per parser of outside input
# (kernel/tests/fuzz/NAME_fuzz.c, README.md there): clang (Debian's clang +
# libfuzzer) with ASan and UBSan, any bytes into the parser. A harness is
# a name, its kernel sources and its longest input; the rules below are
# made once for every name. The checked-in seeds (kernel/tests/fuzz/
# corpus-NAME) stay as they are; what the fuzzer finds goes to
# $(BUILD)/fuzz/corpus-NAME, a crash to $(BUILD)/fuzz/NAME-crash-*.
#   make fuzz                 every harness for FUZZ_SECONDS (60) each
#   make fuzz-NAME            one of them (FUZZ_SECONDS=600 fuzzes longer)
#   make test-fuzz            each for FUZZ_QUICK_SECONDS, for make check (-j2)
# A harness exists from the lab its parser arrives in (cpio, ELF and the
# line discipline: 4; ACPI: 5; the network: 6).
FUZZ_CC         ?= clang
FUZZ_SECONDS    ?= 60
FUZZ_QUICK_SECONDS ?= 3
FUZZ_DIR        := kernel/tests/fuzz
FUZZ_NAMES      := cmdline multiboot $(if $(filter-out 1 2 3,$(LAB)),cpio elf ldisc) \
                   $(if $(filter-out 1 2 3 4,$(LAB)),acpi) $(if $(filter-out 1 2 3 4 5,$(LAB)),net)
FUZZ_SRCS_cmdline   := kernel/cmdline.c kernel/glob.c $(wildcard kernel/net/ipconfig.c)
FUZZ_SRCS_multiboot := kernel/multiboot.c $(FUZZ_DIR)/fuzz_mem.c
FUZZ_SRCS_cpio      := $(wildcard kernel/fs/cpio.c)
FUZZ_SRCS_elf       := $(wildcard kernel/proc/elf.c)
FUZZ_SRCS_ldisc     := $(wildcard kernel/fs/ldisc.c)
FUZZ_SRCS_acpi      := $(wildcard kernel/arch/i386/acpi.c) $(FUZZ_DIR)/fuzz_mem.c
FUZZ_SRCS_net       := $(NET_PURE_SRCS)
FUZZ_MAX_LEN_cmdline   := 512
FUZZ_MAX_LEN_multiboot := 4096
FUZZ_MAX_LEN_cpio      := 4096
FUZZ_MAX_LEN_elf       := 4096
FUZZ_MAX_LEN_ldisc     := 4096
FUZZ_MAX_LEN_acpi      := 8192
FUZZ_MAX_LEN_net       := 1600
FUZZ_CFLAGS     := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                   $(DEBUG_PREFIX) -Wall -Wextra -Werror -DLAB=$(LAB) -DSOLVED=$(SOLVED) -Ikernel -iquote libk/include
# -timeout: an input that runs 10 s is a hang, and a hang is a finding.
FUZZ_RUN         = mkdir -p $(BUILD)/fuzz/corpus-$(1) && \
                   $(BUILD)/fuzz/$(1)-fuzz -max_len=$(FUZZ_MAX_LEN_$(1)) -timeout=10 -print_final_stats=1 \
                       -artifact_prefix=$(BUILD)/fuzz/$(1)- -max_total_time=$(2) \
                       $(BUILD)/fuzz/corpus-$(1) $(FUZZ_DIR)/corpus-$(1)

# One object per source, as the host tests do: ccache and -j2 then make
# the rebuild in make check cheap, and the net harness's twenty-odd files
# compile on both cores. fuzz_stubs.c: kprintf into a buffer (quiet),
# panic as a finding.
fuzz_objs = $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_DIR)/$(1)_fuzz.c $(FUZZ_DIR)/fuzz_stubs.c $(FUZZ_SRCS_$(1)))
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$<)$(CCACHE) $(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
-include $(patsubst %.o,%.d,$(foreach n,$(FUZZ_NAMES),$(call fuzz_objs,$(n))))

define FUZZ_HARNESS
$$(BUILD)/fuzz/$(1)-fuzz: $$(call fuzz_objs,$(1))
	$$(call say,LD,$$@)$$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $$^ -o $$@
fuzz-$(1): $$(BUILD)/fuzz/$(1)-fuzz
	$$(call FUZZ_RUN,$(1),$$(FUZZ_SECONDS))
test-fuzz-$(1): $$(BUILD)/fuzz/$(1)-fuzz
	$$(call FUZZ_RUN,$(1),$$(FUZZ_QUICK_SECONDS))
.PHONY: fuzz-$(1) test-fuzz-$(1)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_HARNESS,$(n))))

fuzz: $(addprefix fuzz-,$(FUZZ_NAMES))  ## every libFuzzer harness for FUZZ_SECONDS (60) each; fuzz-NAME: one (kernel/tests/fuzz)
test-fuzz: $(addprefix test-fuzz-,$(FUZZ_NAMES))  ## each harness for FUZZ_QUICK_SECONDS (3), for make check (-j2); test-fuzz-NAME: one

test-gdb: kernel                        ## batch GDB: break in kmain, check the backtrace
	gdb -q -nx -batch -x tools/gdb/check-backtrace.py $(KERNEL) > $(BUILD)/test-gdb.log 2>&1; \
	    status=$$?; grep '^test-gdb' $(BUILD)/test-gdb.log || cat $(BUILD)/test-gdb.log; exit $$status

# tools/tests: how tools/check.py counts make check's parts.
selftest: kernel                        ## test the grader itself (fake and real QEMU), and make check's counting
	TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest -c grading/pytest.ini grading/selftest tools/tests -q -n 2

test-boot: kernel                       ## boot through GRUB in QEMU and in Bochs (lab 4 on: and run a program)
	$(MAKE) iso ISO=$(BUILD)/test-boot.iso CMDLINE="test=boot.* panic=exit"
	$(if $(INITRD),$(MAKE) iso ISO=$(BUILD)/test-run.iso CMDLINE="run=/bin/t_paths")
	$(if $(INITRD),RUN_ISO=$(BUILD)/test-run.iso) sh tools/test-boot.sh $(BUILD)/test-boot.iso $(BUILD)

# `make grade LAB=n` grades only lab n's tests (on the LAB=n build).
GRADE_LAB := $(if $(filter command line environment,$(origin LAB)),--lab $(LAB))
# Ungraded tests of the userland in QEMU (issue 12): the console, limits.
# The adversarial suite has a target of its own (below), so make check
# can run it on its own and it is not run twice.
test-userland-qemu: kernel              ## user programs and console sessions in QEMU (not graded)
	TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest -c grading/pytest.ini grading/userland -m "not soak and not hostile" $(GRADE_JOBS)

# The adversarial suite (issue 17, docs/userland.md): one boot running
# /bin/t_hostile, every case must pass and every frame come back. Also
# on the checked kernel: make test-hostile UBSAN=1 KASAN=1 (a report fails).
test-hostile: kernel                    ## the adversarial user suite (t_hostile) in one QEMU boot
	TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest -c grading/pytest.ini grading/userland/test_hostile.py -m hostile

# /bin/cpus and /bin/locks from the shell at -smp 4 (lab 5; one boot).
# Also part of test-userland-qemu, which runs all of grading/userland.
test-cpus: kernel                       ## cpus and locks from the user shell at -smp 4 (one QEMU boot)
	TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest -c grading/pytest.ini grading/userland/test_cpus.py

# The long runs (pytest's soak marker): from lab 6 the soak of issue 17
# (grading/userland/test_soak.py: usertests, sysfuzz and curl against
# httpd at once, -smp 2, SOAK_SECONDS long, then nothing lost), usertests
# and t_futex at -smp 4, lab 5's sizes (hours at -smp 4). -rP shows what
# the passing ones printed (the soak's counts). One of them alone:
# make soak SOAK_ARGS="-k test_soak".
SOAK_SECONDS ?= 600
soak: kernel                            ## the long runs make check leaves out (the 10-minute soak, the SMP sizes)
	TIDEPOOL_SOAK_SECONDS=$(SOAK_SECONDS) TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest \
	    -c grading/pytest.ini grading/userland -m soak -rP $(GRADE_JOBS) $(SOAK_ARGS)

grade: kernel                           ## grade the labs (LAB=n: only lab n; KASAN=1 etc.: on the checked kernel)
	TIDEPOOL_KERNEL=$(KERNEL) $(PYTHON) -B -m pytest -c grading/pytest.ini grading/tests \
	    $(wildcard grading/hidden) $(GRADE_LAB) $(GRADE_JOBS) $(GRADE_ARGS)

# ---- the system-call fuzzer (issue 17): /bin/sysfuzz (userland/fuzz/)
# in one boot, driven by grading/userland/test_sysfuzz.py: random calls in
# several processes and threads, then no panic, no checker report and no
# lost frame or heap byte. A failure prints the seed and how to replay it
# (FUZZ_ARGS="-w N -v": one worker, every call printed).
# test-fuzz-kernel is make check's short run, on the UBSAN=1 KASAN=1 kernel.
FUZZ_CALLS ?= 1000000
FUZZ_SEED  ?= 1
FUZZ_ARGS  ?=
FUZZ_QUICK_CALLS ?= 50000
FUZZ_KERNEL_TEST = $(PYTHON) -B -m pytest -c grading/pytest.ini grading/userland/test_sysfuzz.py -s -q
fuzz-kernel: kernel                     ## the system-call fuzzer: FUZZ_CALLS (1000000) calls from FUZZ_SEED (1); prints calls/s
	TIDEPOOL_KERNEL=$(KERNEL) TIDEPOOL_FUZZ_CALLS=$(FUZZ_CALLS) TIDEPOOL_FUZZ_SEED=$(FUZZ_SEED) \
	    TIDEPOOL_FUZZ_ARGS="$(FUZZ_ARGS)" $(FUZZ_KERNEL_TEST)

test-fuzz-kernel:                       ## a short fuzzer run (FUZZ_QUICK_CALLS) on the UBSAN=1 KASAN=1 kernel, for make check
	+$(SAN_MAKE_UK) kernel
	TIDEPOOL_KERNEL=$(UBSAN_KASAN_KERNEL) TIDEPOOL_FUZZ_CALLS=$(FUZZ_QUICK_CALLS) \
	    TIDEPOOL_FUZZ_SEED=$(FUZZ_SEED) TIDEPOOL_FUZZ_ARGS="$(FUZZ_ARGS)" $(FUZZ_KERNEL_TEST)

# ---- the run-time checkers (docs/safety.md) on the tests
# The checked kernels of this checkpoint, as `make UBSAN=1 KASAN=1` and
# `make KCSAN=1` name them (the build directories above).
san_kernel = build/$(1)$(if $(filter $(LAB)/$(SOLVED),$(LAB_DEFAULT)/$(SOLVED_DEFAULT)),,/lab$(LAB)-solved$(SOLVED))/kernel.elf
UBSAN_KASAN_KERNEL = $(call san_kernel,ubsan-kasan)
KCSAN_KERNEL       = $(call san_kernel,kcsan)
# One sub-make per checked kernel; the other checkers' variables are
# emptied, so that `make test-safety KASAN=1` still builds exactly these two.
SAN_MAKE_UK = $(MAKE) --no-print-directory UBSAN=1 KASAN=1 KCSAN=
SAN_MAKE_KC = $(MAKE) --no-print-directory UBSAN= KASAN= KCSAN=1

# The checkers' own tests (grading/safety/, not graded): each selftest=NAME
# commits its bug on purpose and the test reads the report.
test-safety:                            ## the checkers' tests: build UBSAN=1 KASAN=1 and KCSAN=1 kernels, run grading/safety
	$(SAN_MAKE_UK) kernel
	$(SAN_MAKE_KC) kernel
	TIDEPOOL_KERNEL=$(UBSAN_KASAN_KERNEL) TIDEPOOL_KCSAN_KERNEL=$(KCSAN_KERNEL) \
	    $(PYTHON) -B -m pytest -c grading/pytest.ini grading/safety $(GRADE_JOBS)

# make check's pass under the checkers (issue 16): every lab's graded tests
# (public and hidden) and the usertests once on the UBSAN=1 KASAN=1 kernel,
# lab 5's (the SMP locks) on the KCSAN=1 kernel. The grader fails any test
# whose console shows a report (tidepool/reportwatch.py), so zero reports
# is what passing means. Lab 5's tests stay in one xdist group (see
# grading/tests/lab5): two SMP boots side by side starve each other.
# One make per target, in turn: under -j2 `make grade test-userland-qemu`
# would run both graders at once. make check runs the same three as
# parts of its own (CHECK_PARTS), each pytest run counted.
check-sanitized:                        ## all graded tests + usertests on UBSAN=1 KASAN=1, lab 5 on KCSAN=1: no report allowed
	$(SAN_MAKE_UK) grade
	$(if $(wildcard grading/userland),$(SAN_MAKE_UK) test-userland-qemu test-hostile)
	$(if $(filter-out 1 2 3 4,$(LAB)),$(SAN_MAKE_KC) grade GRADE_ARGS="--lab=5 $(GRADE_ARGS)")

# ---- benchmarks (docs/bench.md): path lengths in guest instructions under
# -icount (rdtsc counts instructions), then wall-clock times. Each part's
# "bench:" lines go to the terminal and to $(BENCH_DIR)/PART.txt;
# tools/bench-table.py reads them all and prints the table, writing
# $(BUILD)/bench.json and $(BUILD)/bench.svg. linux.txt (make bench-linux)
# is kept between runs and becomes the Linux column if it is there.
BENCH_QEMU = $(QEMU) $(QEMUOPTS) -kernel $(KERNEL) -display none -monitor none \
             -serial stdio -serial null -icount shift=0,align=off,sleep=off
BENCH_DIR  = $(BUILD)/bench
# The rows run with the locks bare (sync_checks=0, lab 5 on; a word that
# earlier labs ignore), as Linux's anchors run without lockdep; the
# sysenter run is repeated with the checks on, the kernel's default, as
# the column "sysenter, lock checks on" (door sysenter_checks).
BENCH_KARGS_CHECKS = kmalloc_debug=0
BENCH_KARGS = $(BENCH_KARGS_CHECKS) sync_checks=0
BENCH_RUN  = $(BENCH_KARGS) run=/bin/bench
# The unikernel column: a command that prints the bench program's lines
# when it runs linked into the kernel (make UNIKERNEL=1 PROG=bench); empty
# for no such column.
BENCH_UNIKERNEL ?= $(MAKE) -s --no-print-directory UNIKERNEL=1 PROG=bench run-unikernel \
                   RUN_KARGS="$(BENCH_KARGS)" ARGS=--door=direct
# e.g. BENCH_TIMES_ARGS=--skip-grade: leave out the two `make grade` runs
BENCH_TIMES_ARGS ?=
bench: kernel                           ## the performance table (docs/bench.md): path lengths under -icount, boot vs floor, grade, clean build, text size
	@rm -f $(addprefix $(BENCH_DIR)/,kernel.txt int80.txt sysenter.txt checks.txt direct.txt boot.txt times.txt)
	@mkdir -p $(BENCH_DIR)
	@{ $(BENCH_QEMU) -append "bench=kmalloc"; \
	   $(BENCH_QEMU) -append "bench=kmalloc kmalloc_debug=0"; \
	   if [ $(LAB) -ge 4 ]; then for b in yield thread; do \
	       $(BENCH_QEMU) -append "bench=$$b"; done; fi; \
	   if [ $(LAB) -ge 5 ]; then for c in 0 1; do \
	       $(BENCH_QEMU) -append "bench=spinlock sync_checks=$$c"; \
	       $(BENCH_QEMU) -smp 2 -append "bench=handover sync_checks=$$c"; done; fi; } | grep '^bench:' | tee $(BENCH_DIR)/kernel.txt
	@if [ $(LAB) -ge 4 ]; then for d in int80 sysenter; do \
	    $(BENCH_QEMU) -m 256 -initrd $(INITRD) -append "$(BENCH_RUN) --door=$$d" | \
	        grep '^bench:' | tee $(BENCH_DIR)/$$d.txt; done; \
	 if [ $(LAB) -ge 5 ]; then \
	    $(BENCH_QEMU) -m 256 -initrd $(INITRD) -append "$(BENCH_KARGS_CHECKS) run=/bin/bench --door=sysenter" | \
	        grep '^bench: row=' | sed 's/ door=sysenter / door=sysenter_checks /' | \
	        tee $(BENCH_DIR)/checks.txt; fi; \
	 $(if $(BENCH_UNIKERNEL),$(BENCH_UNIKERNEL) | grep '^bench:' | tee $(BENCH_DIR)/direct.txt;) \
	 $(PYTHON) -u tools/bench-boot.py --userland $(KERNEL) $(INITRD) | tee $(BENCH_DIR)/boot.txt; fi
	@$(PYTHON) -u tools/bench-times.py --kernel $(KERNEL) --size $(SIZE) $(BENCH_TIMES_ARGS) | \
	    tee $(BENCH_DIR)/times.txt
	@echo
	@$(PYTHON) tools/bench-table.py $(BENCH_DIR)/*.txt --json $(BUILD)/bench.json --svg $(BUILD)/bench.svg

# make bench-net (lab 6): wall-clock bytes/s of 10 MiB downloaded from and
# uploaded to the guest's httpd with the host's curl (TCG, slirp, the E1000
# model; tools/bench-net.py). Its lines land in $(BENCH_DIR)/net.txt, which
# the next make bench's table picks up.
bench-net: kernel                       ## lab 6: bytes/s of a 10 MiB curl download from and upload to the guest
	@mkdir -p $(BENCH_DIR)
	@$(PYTHON) -u tools/bench-net.py $(KERNEL) $(INITRD) | tee $(BENCH_DIR)/net.txt

# make UNIKERNEL=1 PROG=NAME run-unikernel ARGS="...": boot the unikernel
# image (no initrd: the program is inside) under -icount, print its
# console output, stop when the program ends. RUN_KARGS: the kernel's
# own words before run= (make bench adds sync_checks=0).
RUN_KARGS ?= kmalloc_debug=0
UNIKERNEL_QEMU = $(QEMU) $(QEMUOPTS) -m 256 -kernel $(KERNEL) -display none -monitor none \
                 -serial stdio -serial null -icount shift=0,align=off,sleep=off
run-unikernel: kernel                   ## with UNIKERNEL=1 PROG=NAME [ARGS=...]: run NAME in ring 0 under -icount
	@test "$(UNIKERNEL)" = 1 || { echo "usage: make UNIKERNEL=1 PROG=NAME run-unikernel [ARGS=...]"; exit 2; }
	@$(UNIKERNEL_QEMU) -append "$(RUN_KARGS) run=/bin/$(PROG) $(ARGS)"; \
	 status=$$?; test $$status -eq 33 || { echo "run-unikernel: QEMU exit status $$status (33 = the kernel's EXIT_DONE)"; exit 1; }

# t_unikernel twice: in ring 3 from the initrd, and built into a
# unikernel image in ring 0. Both must pass all their cases and see the
# same getpid()/getppid() (the "# getpid() = ..." line).
UNI_TEST_LOG := build-unikernel/t_unikernel/test.log
test-unikernel: kernel                  ## t_unikernel in ring 3 and as a unikernel (UNIKERNEL=1): same answers
	@mkdir -p $(dir $(UNI_TEST_LOG))
	@$(BENCH_QEMU) -initrd $(INITRD) -append "run=/bin/t_unikernel" > $(UNI_TEST_LOG).ring3 2>&1; \
	 $(MAKE) -s --no-print-directory UNIKERNEL=1 PROG=t_unikernel run-unikernel > $(UNI_TEST_LOG) 2>&1; \
	 status=$$?; ok=1; \
	 for log in $(UNI_TEST_LOG).ring3 $(UNI_TEST_LOG); do \
	     grep -E '^(not )?ok |^# (ring|getpid)' $$log | sed "s|^|  $$(basename $$log): |"; \
	     test "$$(grep -c '^ok ' $$log)" = 8 && ! grep -q '^not ok' $$log || ok=0; done; \
	 grep -q '^# ring 3' $(UNI_TEST_LOG).ring3 && grep -q '^# ring 0' $(UNI_TEST_LOG) || ok=0; \
	 test "$$(grep '^# getpid' $(UNI_TEST_LOG).ring3)" = "$$(grep '^# getpid' $(UNI_TEST_LOG))" || ok=0; \
	 if [ $$status -eq 0 ] && [ $$ok = 1 ]; then echo "test-unikernel: passed"; \
	 else echo "test-unikernel: FAILED (logs: $(UNI_TEST_LOG)*)"; exit 1; fi

# make bench-linux: the same benchmark on Linux, in the same QEMU (opt-in)
-include tools/bench-linux.mk

# make audit (the unsafe sites and their SAFETY: notes), make lint
-include tools/audit.mk

# ---- lab staging (labs/stage.py): handouts and branches from this tree
MODE ?= checkpoint
handout:                                ## write lab LAB's handout to OUT=DIR (LAB=n SOLVED=n-1)
	@test -n "$(OUT)" || { echo "usage: make handout LAB=n OUT=DIR"; exit 2; }
	$(PYTHON) labs/stage.py handout --lab $(LAB) $(if $(filter command line,$(origin SOLVED)),--solved $(SOLVED)) --out $(OUT)

branches:                               ## write OUT=REPO with a branch per lab (MODE=checkpoint|merge)
	@test -n "$(OUT)" || { echo "usage: make branches OUT=REPO [MODE=merge]"; exit 2; }
	$(PYTHON) labs/stage.py branches --out $(OUT) --mode $(MODE)

check-stage:                            ## test the stager: no leaks, merge mode merges cleanly
	$(PYTHON) -B -m pytest -p no:cacheprovider -q labs/tests

# The last lab's solution is the whole kernel: graded once, with the
# run-time checkers on (UBSan and KASAN: a report fails the test).
check-labs:                             ## staging invariant: handouts fail their lab, solutions pass
	$(PYTHON) tools/check-labs.py --last-with "UBSAN=1 KASAN=1"

check-mutants:                          ## tests for the tests: each labs/*/mutants/*.patch fails the tests it names
	$(PYTHON) tools/check-mutants.py $(if $(filter command line environment,$(origin LAB)),--lab $(LAB)) $(MUTANT_ARGS)

clean:                                  ## remove build/ (and build-unikernel/)
	rm -rf build build-unikernel

help:                                   ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | \
	    awk -F ':.*## ' '{ printf "  make %-24s %s\n", $$1, $$2 }'
