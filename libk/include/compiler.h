/*
 * compiler.h -- small wrappers around GCC extensions used across the kernel.
 *
 * Keeping them here means a student meets one spelling of each idea
 * (likely(), container_of(), ...) and can grep for its definition.
 */
#ifndef LIBK_COMPILER_H
#define LIBK_COMPILER_H

#include <stddef.h>

/* Branch hints: the compiler lays out the expected path as the fall-through. */
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define NORETURN   __attribute__((noreturn))
#define NOINLINE   __attribute__((noinline))
#define UNUSED     __attribute__((unused))
#define PACKED     __attribute__((packed))
#define ALIGNED(n) __attribute__((aligned(n)))

/* Let -Wformat check our printf-like functions' arguments. */
#define PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(__printf__, fmt_index, first_arg)))

/*
 * Stops the compiler from moving memory accesses across this point.  It
 * emits no instruction: it orders the compiler, not the CPU.
 * SAFETY: an empty asm with a "memory" clobber changes no state; it only
 * tells the compiler that memory may have changed here.
 */
#define compiler_barrier() __asm__ __volatile__("" ::: "memory")

/* Number of elements of a true array (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * container_of(ptr, type, member): given a pointer to the field `member`
 * inside some `type`, get back a pointer to the enclosing `type`.  This is
 * what makes intrusive lists (list.h) work: a list links the embedded
 * nodes, and container_of finds the structure around a node.
 *
 * The typed temporary makes the compiler reject a `ptr` whose type does
 * not match the member's.
 */
#ifdef __CPPCHECK__
/* make lint: cppcheck evaluates the operand of __typeof__ above and reports
 * ((type *)0)->member as a NULL dereference at every use; it is shown the
 * same computation without the type check. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#else
#define container_of(ptr, type, member)                                                            \
    ({                                                                                             \
        const __typeof__(((type *)0)->member) *container_of_ptr_ = (ptr);                          \
        (type *)((char *)container_of_ptr_ - offsetof(type, member));                              \
    })
#endif

#endif /* LIBK_COMPILER_H */
