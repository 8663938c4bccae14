# kcsan.mk -- make KCSAN=1: the data-race detector (kernel/sanitizers/kcsan.c),
# watchpoints in the style of the Linux kernel's KCSAN.
#
# -fsanitize=thread makes gcc call __tsan_read4(addr), __tsan_write4(addr),
# ... before every load and store the compiler cannot prove thread-local
# (and __tsan_atomic32_fetch_add(...) and friends in place of the
# __atomic builtins, so the checker knows which accesses are marked
# atomic). The kernel supplies each function (kcsan_tsan.c). KCSAN needs
# several CPUs: it exists from lab 5 on (KCSAN=1 before lab 5 builds the
# plain kernel, in build/kcsan/labN-...).
#
# tsan-distinguish-volatile stays 0: a volatile access is a plain one to
# this checker. `volatile` makes the compiler do the access, not make it
# atomic against another CPU (a volatile `x = x + 1` loses updates).
# tsan-instrument-func-entry-exit=0: no __tsan_func_entry/exit calls in
# every function (user-space TSan keeps a shadow call stack with them;
# KCSAN walks the frame pointers when it reports, so they were pure cost).
ifeq ($(KCSAN),1)
ifeq ($(filter 1 2 3 4,$(LAB)),)
KCSAN_CFLAGS := -fsanitize=thread --param tsan-distinguish-volatile=0 \
                --param tsan-instrument-func-entry-exit=0 -DCONFIG_KCSAN
SAN_CFLAGS   += $(KCSAN_CFLAGS)

# Files never instrumented (their other checkers stay on: only thread's
# instrumentation is turned off, after the flags that turned it on):
#   gdt.c, percpu.c     per-CPU set-up: they load %fs, which the runtime
#                       reads (this_cpu()) to find its per-CPU state
#   doublefault.c       runs on its own task (TSS) after the kernel stack
#                       broke; the report path must not depend on it
#   sync/held.c         the runtime asks it which locks this CPU holds
#                       (held_mine()): instrumented, its accesses made
#                       inside its raw lock would call the runtime, which
#                       would take that raw lock again (self-deadlock)
#   backtrace.c,        the runtime calls them to record and print stacks
#   symbols.c           (they would only find the runtime busy and return)
#   lapic.c, ioapic.c,  device registers and device-written memory (DMA
#   e1000.c, mmio.c     descriptor rings): a value that changes under the
#                       watcher is the device's doing, not another CPU's
#   trap.c              the trap entry path: the first C code after an
#                       interrupt, before it is known whether the CPU was
#                       inside the runtime (the runtime keeps interrupts
#                       off while it watches, so only exceptions and NMIs
#                       get here from it; better not to look at them)
# The runtime itself (kernel/sanitizers/) is never instrumented (Makefile).
# Early boot (kmain before gdt_early_init(), each AP before gdt_init_cpu())
# needs no exception: the runtime does nothing until kcsan_init() turns it
# on, after every CPU is up (main.c).
KCSAN_NOINSTR := kernel/arch/i386/gdt.c kernel/arch/i386/percpu.c \
                 kernel/arch/i386/doublefault.c kernel/sync/held.c \
                 kernel/backtrace.c kernel/symbols.c kernel/arch/i386/lapic.c \
                 kernel/arch/i386/ioapic.c kernel/arch/i386/e1000.c kernel/arch/i386/mmio.c \
                 kernel/arch/i386/trap.c
$(patsubst %,$(BUILD)/%.o,$(KCSAN_NOINSTR)): SAN_CFLAGS += -fno-sanitize=thread

# The runtime (not instrumented, like all of kernel/sanitizers/) is only
# compiled in when KCSAN=1: a plain kernel carries none of it.
$(BUILD)/kernel/sanitizers/kcsan.c.o $(BUILD)/kernel/sanitizers/kcsan_%.c.o: SAN_CFLAGS := -DCONFIG_KCSAN

# The selftest commits its race on purpose: instrumented, unlike the rest
# of kernel/sanitizers/.
$(BUILD)/kernel/sanitizers/selftest_kcsan.c.o: SAN_CFLAGS := $(KCSAN_CFLAGS)
endif
endif
