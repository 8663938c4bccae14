/*
 * kcsan_tsan.c -- the functions gcc's -fsanitize=thread calls (its ABI:
 * libsanitizer's tsan_interface.h and tsan_interface_atomic.h), each
 * handing the access to KCSAN's run time (kcsan.c).
 *
 *   __tsan_readN(addr), __tsan_writeN(addr)    before a plain N-byte access
 *   __tsan_unaligned_readN/writeN(addr)        the same, maybe misaligned
 *   __tsan_read_range/write_range(addr, n)     a struct copy, memset, ...
 *   __tsan_atomicN_OP(addr, ..., memorder)     in place of __atomic_OP_n:
 *                                              must *do* the operation
 *   __tsan_func_entry(pc), __tsan_func_exit()  at each function's entry
 *                                              and exit (a shadow stack
 *                                              in user space's TSan; the
 *                                              kernel walks frame pointers
 *                                              instead: nothing to do)
 *   __tsan_init()                              from a constructor in each
 *                                              object; the kernel runs no
 *                                              constructors: never called
 *
 * The atomic operations are done here with the same __atomic builtins
 * (this file is not instrumented).
 *
 * SAFETY (every volatile in this file): the `volatile` in the hooks'
 * parameters is the ABI's (gcc passes the atomic object's address as a
 * pointer to volatile); each hook accesses the object once, atomically,
 * as the caller's __atomic builtin would have.
 * SAFETY (every cast in this file): pointer -> integer for addresses
 * that are only compared and looked up (the access's address, the hook's
 * return address), never turned back into a pointer here.
 *
 * The memory order the caller asked for
 * arrives as a run-time int (0 relaxed ... 5 seq_cst, the same numbers as
 * __ATOMIC_*); gcc treats a non-constant order as seq_cst, which is at
 * least as strong as any order asked for, so the operations stay right.
 *
 */
#if LAB >= 5
#ifdef CONFIG_KCSAN                 /* make KCSAN=1 only (kcsan.mk) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sanitizers/kcsan_runtime.h"

/* Called from every hook, so the return address is the instrumented code. */
#define CALLER_PC() ((uintptr_t)__builtin_return_address(0))

static inline void check(const volatile void *addr, uint32_t size, bool write, bool atomic,
                         uintptr_t pc)
{
    /* SAFETY: pointer -> integer: the address is only compared and, when
     * in kernel RAM, read by the runtime (kcsan.c's read_value()). */
    kcsan_access((uintptr_t)addr, size, write, atomic, pc);
}

void __tsan_init(void);
void __tsan_init(void)
{
}

void __tsan_func_entry(void *pc);
void __tsan_func_entry(void *pc)
{
    (void)pc;
}

void __tsan_func_exit(void);
void __tsan_func_exit(void)
{
}

#define PLAIN_HOOKS(n)                                                              \
    void __tsan_read##n(void *addr);                                                \
    void __tsan_read##n(void *addr) { check(addr, n, false, false, CALLER_PC()); }  \
    void __tsan_write##n(void *addr);                                               \
    void __tsan_write##n(void *addr) { check(addr, n, true, false, CALLER_PC()); }  \
    void __tsan_unaligned_read##n(void *addr);                                      \
    void __tsan_unaligned_read##n(void *addr) { check(addr, n, false, false, CALLER_PC()); } \
    void __tsan_unaligned_write##n(void *addr);                                     \
    void __tsan_unaligned_write##n(void *addr) { check(addr, n, true, false, CALLER_PC()); }

PLAIN_HOOKS(1)
PLAIN_HOOKS(2)
PLAIN_HOOKS(4)
PLAIN_HOOKS(8)
PLAIN_HOOKS(16)

void __tsan_read_range(void *addr, size_t size);
void __tsan_read_range(void *addr, size_t size)
{
    check(addr, (uint32_t)size, false, false, CALLER_PC());
}

void __tsan_write_range(void *addr, size_t size);
void __tsan_write_range(void *addr, size_t size)
{
    check(addr, (uint32_t)size, true, false, CALLER_PC());
}

/* The atomics, for 1-, 2- and 4-byte types (a8, a16, a32). */
#define ATOMIC_HOOKS(n, T)                                                                  \
    T __tsan_atomic##n##_load(const volatile T *a, int mo);                                 \
    T __tsan_atomic##n##_load(const volatile T *a, int mo)                                  \
    {                                                                                       \
        (void)mo;                                                                           \
        check(a, sizeof(T), false, true, CALLER_PC());                                      \
        return __atomic_load_n(a, __ATOMIC_SEQ_CST);                                        \
    }                                                                                       \
    void __tsan_atomic##n##_store(volatile T *a, T v, int mo);                              \
    void __tsan_atomic##n##_store(volatile T *a, T v, int mo)                               \
    {                                                                                       \
        (void)mo;                                                                           \
        check(a, sizeof(T), true, true, CALLER_PC());                                       \
        __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                           \
    }                                                                                       \
    RMW_HOOK(n, T, exchange, __atomic_exchange_n)                                           \
    RMW_HOOK(n, T, fetch_add, __atomic_fetch_add)                                           \
    RMW_HOOK(n, T, fetch_sub, __atomic_fetch_sub)                                           \
    RMW_HOOK(n, T, fetch_and, __atomic_fetch_and)                                           \
    RMW_HOOK(n, T, fetch_or, __atomic_fetch_or)                                             \
    RMW_HOOK(n, T, fetch_xor, __atomic_fetch_xor)                                           \
    RMW_HOOK(n, T, fetch_nand, __atomic_fetch_nand)                                         \
    CAS_HOOK(n, T, compare_exchange_strong, false)                                          \
    CAS_HOOK(n, T, compare_exchange_weak, true)                                             \
    T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo);    \
    T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo)     \
    {                                                                                       \
        (void)mo, (void)fmo;                                                                \
        check(a, sizeof(T), true, true, CALLER_PC());                                       \
        __atomic_compare_exchange_n(a, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);   \
        return c;                                                                           \
    }

#define RMW_HOOK(n, T, op, builtin)                                                         \
    T __tsan_atomic##n##_##op(volatile T *a, T v, int mo);                                  \
    T __tsan_atomic##n##_##op(volatile T *a, T v, int mo)                                   \
    {                                                                                       \
        (void)mo;                                                                           \
        check(a, sizeof(T), true, true, CALLER_PC());                                       \
        return builtin(a, v, __ATOMIC_SEQ_CST);                                             \
    }

/* Returns whether it swapped; on failure *c gets the value found. */
#define CAS_HOOK(n, T, op, weak)                                                            \
    int __tsan_atomic##n##_##op(volatile T *a, T *c, T v, int mo, int fmo);                 \
    int __tsan_atomic##n##_##op(volatile T *a, T *c, T v, int mo, int fmo)                 \
    {                                                                                       \
        (void)mo, (void)fmo;                                                                \
        check(a, sizeof(T), true, true, CALLER_PC());                                       \
        return __atomic_compare_exchange_n(a, c, v, weak, __ATOMIC_SEQ_CST,                 \
                                           __ATOMIC_SEQ_CST);                               \
    }

ATOMIC_HOOKS(8, uint8_t)
ATOMIC_HOOKS(16, uint16_t)
ATOMIC_HOOKS(32, uint32_t)

/* 8-byte atomics: i686 has no plain 8-byte atomic load or store in
 * general registers (-mgeneral-regs-only rules out the x87 and SSE ways),
 * and gcc turns an 8-byte __atomic on an i386 uint64_t (4-byte aligned)
 * into a call to libatomic, which the kernel does not have. So each is
 * a loop around `lock cmpxchg8b`. */
static bool cas64(volatile uint64_t *a, uint64_t *expected, uint64_t desired)
{
    uint64_t seen = *expected;
    bool swapped;
    /* SAFETY: lock cmpxchg8b compares edx:eax with the 8 bytes at *a and
     * stores ecx:ebx there if equal, else loads them into edx:eax; one
     * atomic operation on memory the instrumented caller owns a pointer
     * to. ZF tells which happened. */
    __asm__ volatile("lock cmpxchg8b %1"
                     : "=@ccz"(swapped), "+m"(*a), "+A"(seen)
                     : "b"((uint32_t)desired), "c"((uint32_t)(desired >> 32))
                     : "memory");
    *expected = seen;
    return swapped;
}

/* A load is a compare-and-swap of a guess with itself: it fails and
 * hands back the value, or succeeds and changes nothing. */
static uint64_t load64(volatile uint64_t *a)
{
    uint64_t v = 0;
    cas64(a, &v, v);
    return v;
}

uint64_t __tsan_atomic64_load(const volatile uint64_t *a, int mo);
uint64_t __tsan_atomic64_load(const volatile uint64_t *a, int mo)
{
    (void)mo;
    check(a, 8, false, true, CALLER_PC());
    /* The cast drops const only for the CAS, which never changes *a. */
    return load64((volatile uint64_t *)a);
}

void __tsan_atomic64_store(volatile uint64_t *a, uint64_t v, int mo);
void __tsan_atomic64_store(volatile uint64_t *a, uint64_t v, int mo)
{
    (void)mo;
    check(a, 8, true, true, CALLER_PC());
    uint64_t old = load64(a);
    while (!cas64(a, &old, v))
        ;
}

uint64_t __tsan_atomic64_fetch_add(volatile uint64_t *a, uint64_t v, int mo);
uint64_t __tsan_atomic64_fetch_add(volatile uint64_t *a, uint64_t v, int mo)
{
    (void)mo;
    check(a, 8, true, true, CALLER_PC());
    uint64_t old = load64(a);
    while (!cas64(a, &old, old + v))
        ;
    return old;
}

int __tsan_atomic64_compare_exchange_strong(volatile uint64_t *a, uint64_t *c, uint64_t v,
                                            int mo, int fmo);
int __tsan_atomic64_compare_exchange_strong(volatile uint64_t *a, uint64_t *c, uint64_t v,
                                            int mo, int fmo)
{
    (void)mo, (void)fmo;
    check(a, 8, true, true, CALLER_PC());
    return cas64(a, c, v);
}

void __tsan_atomic_thread_fence(int mo);
void __tsan_atomic_thread_fence(int mo)
{
    (void)mo;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo);
void __tsan_atomic_signal_fence(int mo)
{
    (void)mo;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
#endif /* CONFIG_KCSAN */
#endif /* LAB >= 5 */
