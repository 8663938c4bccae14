/*
 * test_malloc.c -- the libc's malloc (lib/malloc.c) over a fake sbrk.
 *
 * malloc.c is compiled with its names changed (host_names.h): here
 * user_malloc & co. are the code under test, and malloc is glibc's.
 * fake_sbrk() hands out a static arena, from a start that is (on
 * purpose) not 16-byte aligned, up to a limit a test can lower.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

void *user_malloc(size_t size);
void *user_calloc(size_t n, size_t size);
void *user_realloc(void *ptr, size_t size);
void user_free(void *ptr);

#define ARENA_SIZE (1 << 20)
#define START_OFFSET 4      /* the first break is misaligned */

static _Alignas(16) unsigned char arena[ARENA_SIZE];
static size_t brk_offset = START_OFFSET;
static size_t arena_limit = ARENA_SIZE;
static int sbrk_calls;

void *fake_sbrk(intptr_t increment)
{
    sbrk_calls++;
    if (increment < 0 || brk_offset + (size_t)increment > arena_limit) {
        errno = ENOMEM;
        return (void *)-1;      /* SAFETY: integer -> pointer: sbrk's failure value, never used */
    }
    void *old = arena + brk_offset;
    brk_offset += (size_t)increment;
    return old;
}

static bool aligned16(const void *p)
{
    /* SAFETY: pointer -> integer, only to look at the low bits. */
    return ((uintptr_t)p & 15) == 0;
}

static bool in_arena(const void *p, size_t n)
{
    const unsigned char *c = p;

    return c >= arena && c + n <= arena + ARENA_SIZE;
}

Test(malloc, returns_aligned_memory_inside_the_heap)
{
    for (size_t size = 0; size < 200; size += 7) {
        void *p = user_malloc(size);

        cr_assert_not_null(p);
        cr_assert(aligned16(p), "malloc(%zu) = %p is not 16-byte aligned", size, p);
        cr_assert(in_arena(p, size));
    }
}

Test(malloc, blocks_do_not_overlap)
{
    enum { N = 64 };
    unsigned char *p[N];
    size_t size[N];

    for (int i = 0; i < N; i++) {
        size[i] = (size_t)(i * 37 % 300) + 1;
        p[i] = user_malloc(size[i]);
        cr_assert_not_null(p[i]);
        memset(p[i], i, size[i]);
    }
    for (int i = 0; i < N; i++) {
        for (size_t j = 0; j < size[i]; j++)
            cr_assert_eq(p[i][j], (unsigned char)i, "block %d byte %zu overwritten", i, j);
    }
}

Test(malloc, zero_bytes_gives_distinct_pointers)
{
    void *a = user_malloc(0), *b = user_malloc(0);

    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_neq(a, b);
    user_free(a);
    user_free(b);
}

Test(malloc, freed_memory_is_reused_and_merged)
{
    enum { N = 32, SIZE = 1000 };
    void *p[N];

    for (int i = 0; i < N; i++)
        p[i] = user_malloc(SIZE);
    size_t high_water = brk_offset;
    /* Free in an order that needs merging on both sides. */
    for (int i = 0; i < N; i += 2)
        user_free(p[i]);
    for (int i = 1; i < N; i += 2)
        user_free(p[i]);
    /* Everything was merged back: one block of all of it fits again. */
    void *big = user_malloc(N * SIZE);
    cr_assert_not_null(big);
    cr_assert_eq(brk_offset, high_water, "the heap grew instead of reusing freed blocks");
}

Test(malloc, free_null_is_a_no_op)
{
    user_free(NULL);
}

Test(malloc, grows_in_large_steps)
{
    for (int i = 0; i < 100; i++)
        cr_assert_not_null(user_malloc(16));
    /* One alignment step and one growth step, not one per malloc. */
    cr_assert_leq(sbrk_calls, 4, "sbrk was called %d times", sbrk_calls);
}

Test(malloc, out_of_memory_gives_null_and_enomem)
{
    arena_limit = 64 * 1024;
    errno = 0;
    cr_assert_null(user_malloc(128 * 1024));
    cr_assert_eq(errno, ENOMEM);
    /* Smaller requests still work afterwards. */
    cr_assert_not_null(user_malloc(100));
}

Test(malloc, huge_requests_fail_without_overflow)
{
    errno = 0;
    cr_assert_null(user_malloc(SIZE_MAX));
    cr_assert_eq(errno, ENOMEM);
    errno = 0;
    cr_assert_null(user_malloc(SIZE_MAX - 8));
    cr_assert_eq(errno, ENOMEM);
}

Test(malloc, calloc_zeroes_and_checks_overflow)
{
    unsigned char *p = user_malloc(256);

    memset(p, 0xaa, 256);
    user_free(p);
    unsigned char *q = user_calloc(16, 16);
    cr_assert_not_null(q);
    for (int i = 0; i < 256; i++)
        cr_assert_eq(q[i], 0);
    errno = 0;
    cr_assert_null(user_calloc(SIZE_MAX / 2, 3));
    cr_assert_eq(errno, ENOMEM);
}

Test(malloc, realloc_keeps_contents)
{
    char *p = user_realloc(NULL, 10);

    cr_assert_not_null(p);
    strcpy(p, "tidepool");
    char *q = user_realloc(p, 5000);
    cr_assert_not_null(q);
    cr_assert_str_eq(q, "tidepool");
    cr_assert_eq(user_realloc(q, 3), q, "shrinking stays in place");
    cr_assert_eq(memcmp(q, "tid", 3), 0);
    cr_assert_null(user_realloc(q, 0), "realloc(p, 0) frees p");
}

Test(malloc, realloc_grows_step_by_step_keeping_contents)
{
    unsigned char *p = NULL;

    for (size_t size = 1; size <= 20000; size = size * 3 / 2 + 1) {
        unsigned char *q = user_realloc(p, size);
        cr_assert_not_null(q);
        size_t old = size * 2 / 3;      /* at most the old size */
        for (size_t i = 0; p != NULL && i < old; i++)
            cr_assert_eq(q[i], (unsigned char)(i * 7), "byte %zu lost growing to %zu", i, size);
        for (size_t i = 0; i < size; i++)
            q[i] = (unsigned char)(i * 7);
        p = q;
    }
    user_free(p);
}

Test(malloc, realloc_shrink_gives_the_tail_back)
{
    unsigned char *p = user_malloc(8000);
    cr_assert_not_null(p);
    for (int i = 0; i < 8000; i++)
        p[i] = (unsigned char)i;
    size_t high_water = brk_offset;
    cr_assert_eq(user_realloc(p, 100), p);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(p[i], (unsigned char)i);
    /* The 7900 bytes given back hold a new 7000-byte block. */
    void *q = user_malloc(7000);
    cr_assert_not_null(q);
    cr_assert_eq(brk_offset, high_water, "the tail was not freed");
    cr_assert(q > (void *)p);
    user_free(q);
    user_free(p);
}

Test(malloc, realloc_failure_keeps_the_block)
{
    arena_limit = 64 * 1024;
    char *p = user_malloc(100);
    strcpy(p, "kept");
    errno = 0;
    cr_assert_null(user_realloc(p, 128 * 1024));
    cr_assert_eq(errno, ENOMEM);
    cr_assert_str_eq(p, "kept");
    cr_assert_null(user_realloc(p, SIZE_MAX));
    user_free(p);
}

Test(malloc, double_free_aborts, .signal = SIGABRT)
{
    void *p = user_malloc(32);

    user_free(p);
    user_free(p);
}

Test(malloc, free_of_a_foreign_pointer_aborts, .signal = SIGABRT)
{
    static _Alignas(16) unsigned char not_from_malloc[64];

    user_free(not_from_malloc + 32);
}
