# kasan.mk -- make KASAN=1: the kernel address sanitizer (docs/safety.md).
#
# GCC instruments every load and store of kernel and libk code with a
# call to __asan_{load,store}{1,2,4,8,16,N}_noabort (the threshold 0 makes
# every check an outline call, so the runtime in kasan.c decides which
# addresses have shadow at all: the direct map, page tables and user pages
# have none and always pass). asan-stack and asan-globals are off by
# default for kernel-address (Linux's scripts/Makefile.kasan turns them on
# the same way):
#   - asan-stack: each function with arrays on its stack writes its
#     redzones' shadow INLINE at (addr >> 3) + KASAN_SHADOW_OFFSET, so
#     every kernel stack must have mapped shadow (kasan_shadow.h);
#   - asan-globals: each object gets a constructor in .init_array that
#     calls __asan_register_globals (kasan_globals.c runs them).
# The offset must equal KASAN_SHADOW_OFFSET in kasan.h.
#
# -mincoming-stack-boundary=2: GCC lays out an instrumented frame's
# variables and redzones in 32-byte blocks and writes their shadow from
# the frame's address, trusting the i386 ABI's 16-byte stack alignment at
# every call. The kernel's entry paths (sysenter's fast path, the trap
# stubs) call C with esp only 4-byte aligned, so frames, and their shadow,
# would be off by 4: false reports at the edge of every stack array
# (seen in backtrace_walk's pcs[] under lockdep). With this flag GCC
# realigns each such frame itself (Linux builds i386 with
# -mpreferred-stack-boundary=2 for the same reason).
ifeq ($(KASAN),1)
KASAN_SHADOW_OFFSET := 0x28000000
KASAN_FLAGS := -fsanitize=kernel-address -fasan-shadow-offset=$(KASAN_SHADOW_OFFSET) \
              --param asan-instrumentation-with-call-threshold=0 \
              --param asan-stack=1 --param asan-globals=1 -mincoming-stack-boundary=2
SAN_CFLAGS += $(KASAN_FLAGS)
# Every object, the runtimes too, needs to know: the heap adds redzones,
# libk's string.h sends unchecked files to the unchecked memcpy.
CFLAGS += -DCONFIG_KASAN=1
# The heap's own bookkeeping reads and writes block headers, which are
# the redzones KASAN poisons, and the free lists inside freed blocks: it
# is the allocator, not a user of the memory (Linux: KASAN_SANITIZE of
# mm/slub.c's internals is done through kasan_reset_tag/metadata access).
# No -fno-sanitize=kernel-address (GCC refuses -fasan-shadow-offset
# without it, and SAN_CFLAGS may hold other checkers' flags): no checks
# of loads, stores or mem* calls, and libk's raw mem* (string.h).
$(BUILD)/kernel/mm/heap.c.o: SAN_CFLAGS += --param asan-instrument-reads=0 \
              --param asan-instrument-writes=0 --param asan-memintrin=0 -DKASAN_UNCHECKED_FILE
# The selftests commit their bugs in checked code on purpose.
$(BUILD)/kernel/sanitizers/selftest_kasan.c.o: SAN_CFLAGS := $(KASAN_FLAGS)
endif
