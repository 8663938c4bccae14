# ubsan.mk -- make UBSAN=1: the undefined-behaviour checker (GCC's
# -fsanitize=undefined, the subset a freestanding i386 kernel can carry).
#
# Every check below makes the compiler call a __ubsan_handle_* function
# (kernel/sanitizers/ubsan.c) when it sees undefined behaviour at run
# time; the handler prints a report (report.h) and returns (recover mode,
# -fsanitize-recover: the kernel goes on, like Linux's CONFIG_UBSAN).
#
# Kept:
#   shift                   shift-base and shift-exponent
#   signed-integer-overflow + - * and negation on signed types
#   integer-divide-by-zero  x / 0, x % 0 (and INT_MIN / -1)
#   bounds                  an index out of a known array's bounds
#   alignment               a load/store through a misaligned pointer: x86
#                           does not fault, but C says it is undefined and
#                           the compiler may assume alignment (and SSE does
#                           fault); the network code's packed headers are
#                           where this bites
#   null                    a dereference of a null pointer
#   vla-bound               a variable-length array of size <= 0
#   bool, enum              a load of a value a bool or an enum cannot hold
#   builtin                 __builtin_ctz/clz(0)
#   nonnull-attribute,      NULL passed to / returned from a function
#   returns-nonnull-attribute  declared never to take / return one
#   pointer-overflow        pointer arithmetic that wraps around
#   unreachable             __builtin_unreachable() reached (cannot
#                           recover: the handler reports, then panics)
# Left out:
#   float-divide-by-zero,   the kernel has no floating point
#   float-cast-overflow     (-mgeneral-regs-only); their handlers would
#                           take float values the kernel cannot touch
#   return, vptr            C++ only
#   object-size             needs __builtin_object_size at every access and
#                           mostly repeats bounds (Linux dropped it too)
#   bounds-strict           treats every trailing array as fixed-size: the
#                           kernel's structs ending in data[] or data[1]
#                           would all report
#   -fsanitize-trap         would turn each report into an invalid-opcode
#                           trap without the values: the reports are the
#                           point
ifeq ($(UBSAN),1)
UBSAN_CHECKS := shift,signed-integer-overflow,integer-divide-by-zero,bounds,alignment,null,$\
                vla-bound,bool,enum,builtin,nonnull-attribute,returns-nonnull-attribute,$\
                pointer-overflow,unreachable
UBSAN_CFLAGS := -fsanitize=$(UBSAN_CHECKS) -fsanitize-recover=all
SAN_CFLAGS   += $(UBSAN_CFLAGS)
# Every kernel file may ask whether the checker is in (the runtime is
# compiled only then; a KTAP case skips without it).
CFLAGS       += -DCONFIG_UBSAN
# The selftests commit UB on purpose: they are compiled WITH the checker
# (kernel/sanitizers/ objects otherwise get no SAN_CFLAGS).
$(BUILD)/kernel/sanitizers/selftest_ubsan.c.o: SAN_CFLAGS := $(UBSAN_CFLAGS)
endif
