/*
 * selftest_kasan.c -- the bugs KASAN must catch, committed on purpose
 * (selftest=kasan-oob, ...; grading/safety/test_kasan.py).
 *
 * This file is compiled WITH KASAN's instrumentation (kasan.mk), unlike
 * the rest of kernel/sanitizers/. Each bug goes through a volatile
 * pointer or index, so the compiler can neither see it at compile time
 * nor drop the access. noinline: the report must name these functions.
 * From lab 3 (the heap and the shadow's paging exist from then on).
 */
#if LAB >= 3
#include "sanitizers/selftest_kasan.h"
#include "console.h"
#include "mm/kmalloc.h"
#include "arch/i386/power.h"

static __attribute__((noreturn)) void done(const char *name)
{
    kprintf("selftest: %s done\n", name);
    machine_exit(EXIT_DONE);
}

/* A write one byte past a 13-byte block: into its redzone. */
__attribute__((noinline)) void selftest_kasan_oob(void)
{
    char *volatile p = kmalloc(13);
    p[13] = 'x';
    kfree(p);
    done("kasan-oob");
}

/* Not static and written below: a static array never written would be
 * folded to constants, and the read below with it. */
char kasan_selftest_global[10];

/* A read just past a global array: into the redzone GCC put after it. */
__attribute__((noinline)) void selftest_kasan_global_oob(void)
{
    volatile int i = 10;
    kasan_selftest_global[0] = 'k';
    kprintf("read %d\n", kasan_selftest_global[i]);
    done("kasan-global-oob");
}

/* A read just past an array on the stack: into its stack redzone. */
__attribute__((noinline)) void selftest_kasan_stack_oob(void)
{
    char buf[8] = "kasan";
    volatile int i = 8;
    kprintf("read %d\n", buf[i]);
    done("kasan-stack-oob");
}

/* A read of a block after kfree: it sits poisoned in the quarantine. */
__attribute__((noinline)) void selftest_kasan_uaf(void)
{
    int *volatile p = kmalloc(32);
    p[1] = 42;
    kfree(p);
    kprintf("read %d\n", p[1]);
    done("kasan-uaf");
}

__attribute__((noinline)) void selftest_kasan_double_free(void)
{
    void *volatile p = kmalloc(40);
    kfree(p);
    kfree(p);
    done("kasan-double-free");
}

/* kfree of a pointer into the middle of a block. */
__attribute__((noinline)) void selftest_kasan_invalid_free(void)
{
    char *volatile p = kmalloc(64);
    kfree(p + 16);
    kfree(p);
    done("kasan-invalid-free");
}
#endif /* LAB >= 3 */
