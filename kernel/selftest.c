/*
 * selftest.c -- ways to fail on purpose, chosen with selftest=NAME.
 *
 * A grader is only trustworthy if it is seen to handle a kernel that
 * panics, triple-faults, hangs or floods the console; these give it one.
 */
#include "selftest.h"
#include "console.h"
#include "panic.h"
#include "sanitizers/selftest_ubsan.h"
#include "arch/i386/cpu.h"
#if LAB >= 3
#include "sanitizers/selftest_kasan.h"
#endif
#include <string.h>
#if LAB >= 5
#include "sanitizers/selftest_kcsan.h"
#include "arch/i386/doublefault.h"
#include "arch/i386/smp.h"
#endif
#if LAB >= 4
#include "proc/sched.h"
#include "proc/thread.h"
#endif

/* Three real frames for the backtrace: noinline, and each does work after
 * the call so the compiler cannot turn the call into a jump. */
__attribute__((noinline)) void selftest_panic_c(int depth)
{
    panic("selftest: deliberate panic at depth %d", depth);
}

__attribute__((noinline)) void selftest_panic_b(int depth)
{
    selftest_panic_c(depth + 1);
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
}

__attribute__((noinline)) void selftest_panic_a(int depth)
{
    selftest_panic_b(depth + 1);
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
}

/* An IDT with limit 0: the next interrupt or exception finds no gate, the
 * #GP that follows finds none either, and the CPU resets (triple fault). */
static __attribute__((noreturn)) void selftest_triple_fault(void)
{
    static const struct { uint16_t limit; uint32_t base; } __attribute__((packed))
        empty_idt = { 0, 0 };
    /* SAFETY: deliberately breaks the machine: this is the point. */
    __asm__ volatile("lidt %0\n\tint3" : : "m"(empty_idt));
    cpu_stop();
}

#if LAB >= 2
/* A divide error in kernel mode, two calls deep: the trap report must
 * show the faulting eip in selftest_divide_inner and the frames below. */
__attribute__((noinline)) int selftest_divide_inner(int divisor)
{
    int result;
    /* SAFETY: divides by zero on purpose (the compiler may not fold it). */
    __asm__ volatile("cltd\n\tidivl %2" : "=a"(result) : "a"(1000), "r"(divisor) : "edx");
    return result;
}

__attribute__((noinline)) int selftest_divide_outer(int divisor)
{
    int r = selftest_divide_inner(divisor);
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
    return r;
}
#endif

#if LAB >= 3
/* Each call takes a 1 KiB frame and calls itself again: the 16 KiB boot
 * stack runs into its guard page after about 16 calls. */
/* SAFETY: volatile only so that the compiler keeps each 1 KiB frame and
 * its accesses (they are in bounds: frame[0]); overflowing the stack is
 * the point, and the guard page catches it. */
__attribute__((noinline)) int selftest_recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    /* The test on depth is for the compiler, which refuses recursion it
     * can prove endless; 1 << 20 calls is far past the stack's end. */
    if (depth > (1 << 20))
        return 0;
    return selftest_recurse(depth + 1) + frame[0];
}
#endif

#if LAB >= 4
static int sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        thread_sleep(1000);
    return 0;
}

static int recurse_forever(void *arg)
{
    (void)arg;
    return selftest_recurse(0);
}

/* A thread runs off its 16 KiB stack while a neighbour sleeps on the
 * stack below: the guard must stop it, and #DF must name it. */
static void selftest_thread_overflow(void)
{
    struct thread *neighbour = thread_create(sleep_forever, NULL, "neighbour");
    struct thread *t = thread_create(recurse_forever, NULL, "deep-recursion");
    if (neighbour == NULL || t == NULL)
        panic("selftest: no threads (lab 4 not done?)");
    thread_join(t);
    panic("selftest: thread 'deep-recursion' came back from endless recursion");
}
#endif

#if LAB >= 5
static void recurse_on_this_cpu(void *arg)
{
    (void)arg;
    selftest_recurse(0);
}

/* CPU 1 (in smp_call's handler, on whatever stack it was on) and this
 * CPU run off their stacks together: each #DF needs a task of its own
 * (doublefault.c), or the second one resets the machine and neither
 * report gets out. Each task waits for the other before it reports. */
static void selftest_smp_overflow(void)
{
    if (smp_online_cpus() < 2)
        panic("selftest: smp-stackoverflow needs two CPUs online (-smp 2 or more)");
    doublefault_expected = 2;
    if (!smp_call_start(1, recurse_on_this_cpu, NULL))
        panic("selftest: CPU 1 did not take the call");
    selftest_recurse(0);
}
#endif

void selftest_run(const char *which)
{
    kprintf("selftest: %s\n", which);
    if (strcmp(which, "panic") == 0)
        selftest_panic_a(1);
    else if (strcmp(which, "fault") == 0)
        selftest_triple_fault();
    else if (strcmp(which, "hang") == 0)
        cpu_stop();
#if LAB >= 2
    else if (strcmp(which, "divide") == 0)
        selftest_divide_outer(0);
#endif
#if LAB >= 3
    else if (strcmp(which, "null") == 0) {
        /* SAFETY: a NULL dereference on purpose: page 0 is not mapped.
         * The pointer is a volatile variable (always NULL) so that the
         * compiler emits the load and make lint's analyzers, which cannot
         * know its value, do not report the deliberate bug. */
        static int *volatile null_address;
#ifndef __clang_analyzer__      /* it knows null_address stays NULL */
        kprintf("read %d from NULL?\n", *null_address);
#endif
    }
    else if (strcmp(which, "stackoverflow") == 0)
        selftest_recurse(0);
    else if (strcmp(which, "kasan-oob") == 0)
        selftest_kasan_oob();
    else if (strcmp(which, "kasan-global-oob") == 0)
        selftest_kasan_global_oob();
    else if (strcmp(which, "kasan-stack-oob") == 0)
        selftest_kasan_stack_oob();
    else if (strcmp(which, "kasan-uaf") == 0)
        selftest_kasan_uaf();
    else if (strcmp(which, "kasan-double-free") == 0)
        selftest_kasan_double_free();
    else if (strcmp(which, "kasan-invalid-free") == 0)
        selftest_kasan_invalid_free();
#endif
#if LAB >= 4
    else if (strcmp(which, "thread-stackoverflow") == 0)
        selftest_thread_overflow();
#endif
    else if (strcmp(which, "ubsan-overflow") == 0)
        selftest_ubsan_overflow();
    else if (strcmp(which, "ubsan-shift") == 0)
        selftest_ubsan_shift();
    else if (strcmp(which, "ubsan-oob") == 0)
        selftest_ubsan_oob();
    else if (strcmp(which, "ubsan-misaligned") == 0)
        selftest_ubsan_misaligned();
    else if (strcmp(which, "ubsan-null") == 0)
        selftest_ubsan_null();
    else if (strcmp(which, "stack-smash") == 0)
        selftest_stack_smash();
#if LAB >= 5
    else if (strcmp(which, "kcsan-race") == 0)
        selftest_kcsan_counter(false);
    else if (strcmp(which, "kcsan-norace") == 0)
        selftest_kcsan_counter(true);
    else if (strcmp(which, "smp-stackoverflow") == 0)
        selftest_smp_overflow();
#endif
    else if (strcmp(which, "flood") == 0)
        for (unsigned long i = 0;; i++)
            kprintf("flood %lu: this kernel prints forever\n", i);
    else
        kprintf("selftest: unknown name '%s'\n", which);
}
