/* frames_test.c -- host tests for kernel/mm/frames.c (the frame allocator's bookkeeping). */
#if LAB >= 3
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "mm/frames.h"

/* Room for the largest allocator the tests build. Sizes that are not a
 * multiple of 32 check that the last bitmap word's spare bits stay out. */
#define MAXF 1100
#define N    200

static uint32_t managed_words[BITMAP_WORDS(MAXF)];
static uint32_t used_words[BITMAP_WORDS(MAXF)];
static struct frame_allocator fa;

static void setup(size_t nframes)
{
    cr_assert_leq(nframes, MAXF);
    /* Garbage first: frames_init must not rely on zeroed storage. */
    memset(managed_words, 0xA5, sizeof managed_words);
    memset(used_words, 0x5A, sizeof used_words);
    frames_init(&fa, managed_words, used_words, nframes);
}

/* The bookkeeping agrees with itself: counters match the bitmaps, and
 * only managed frames are ever marked used. */
static void check_consistent(void)
{
    size_t managed = 0, used = 0;
    for (size_t f = 0; f < fa.nframes; f++) {
        bool m = bitmap_test(&fa.managed, f), u = bitmap_test(&fa.used, f);
        cr_assert(m || !u, "frame %zu is used but not managed", f);
        managed += m;
        used += u;
    }
    cr_assert_eq(fa.nmanaged, managed);
    cr_assert_eq(frames_free_count(&fa), managed - used);
    cr_assert_eq(frames_used_count(&fa), used);
}

/* Is frame f managed? Probed through the public API without changing
 * anything: freeing a free frame is refused either way, and how it is
 * refused tells managed (FRAME_NOT_USED) from not (FRAME_NOT_MANAGED). */
static bool probe_managed(size_t f)
{
    size_t before = frames_free_count(&fa);
    enum frame_error e = frames_free(&fa, f);
    cr_assert(e == FRAME_NOT_USED || e == FRAME_NOT_MANAGED, "probe of frame %zu freed it", f);
    cr_assert_eq(frames_free_count(&fa), before);
    return e == FRAME_NOT_USED;
}

/* Every frame's managed-ness is exactly expect[]. */
static void check_managed(const bool *expect, size_t nframes)
{
    size_t count = 0;
    for (size_t f = 0; f < nframes; f++) {
        cr_assert_eq(probe_managed(f), expect[f], "frame %zu: managed should be %d", f, expect[f]);
        count += expect[f];
    }
    cr_assert_eq(frames_free_count(&fa), count);
    cr_assert_eq(frames_used_count(&fa), 0);
    check_consistent();
}

static void mark(bool *set, size_t nframes, size_t first, size_t count, bool value)
{
    for (size_t f = first; f < nframes && f - first < count; f++)
        set[f] = value;
}

/* Allocate frames one at a time until none is left; each must be one of
 * `expect` (if given) and none may come twice. Returns how many. */
static size_t alloc_all(const bool *expect, bool *got)
{
    size_t n = 0, f;
    memset(got, 0, fa.nframes);
    while (frames_alloc(&fa, &f)) {
        cr_assert_lt(f, fa.nframes, "frame %zu is beyond nframes", f);
        cr_assert(!got[f], "frame %zu handed out twice", f);
        if (expect != NULL)
            cr_assert(expect[f], "frame %zu handed out but not managed", f);
        got[f] = true;
        n++;
        cr_assert_leq(n, fa.nframes);
    }
    cr_assert_eq(frames_free_count(&fa), 0);
    return n;
}

/* A broken allocator may loop forever (e.g. stepping by align 0): fail
 * instead of hanging the whole run. */
TestSuite(frames, .timeout = 120);
TestSuite(frames_model, .timeout = 120);

/* ---- adding and reserving ------------------------------------------- */

Test(frames, init_manages_nothing)
{
    setup(N);
    size_t f = 12345;
    cr_expect_eq(frames_free_count(&fa), 0);
    cr_expect_eq(frames_used_count(&fa), 0);
    cr_expect(!frames_alloc(&fa, &f));
    cr_expect(!frames_alloc_run(&fa, 1, 1, &f));
    cr_expect_eq(f, 12345, "a failed alloc wrote *frame");
    cr_expect_eq(frames_free(&fa, 0), FRAME_NOT_MANAGED);
    cr_expect_eq(frames_free(&fa, N - 1), FRAME_NOT_MANAGED);
    check_consistent();
}

Test(frames, zero_frames)
{
    setup(0);
    size_t f;
    frames_add(&fa, 0, 10);
    frames_reserve(&fa, 0, 10);
    cr_expect_eq(frames_free_count(&fa), 0);
    cr_expect(!frames_alloc(&fa, &f));
    cr_expect_eq(frames_free(&fa, 0), FRAME_NOT_MANAGED);
}

Test(frames, add_counts_each_frame_once)
{
    setup(N);
    bool expect[N] = {false};
    frames_add(&fa, 10, 20); /* 10..29 */
    mark(expect, N, 10, 20, true);
    cr_expect_eq(frames_free_count(&fa), 20);
    frames_add(&fa, 20, 20); /* overlaps: 30..39 are new */
    mark(expect, N, 20, 20, true);
    cr_expect_eq(frames_free_count(&fa), 30);
    frames_add(&fa, 10, 30); /* all old */
    cr_expect_eq(frames_free_count(&fa), 30);
    frames_add(&fa, 5, 0); /* empty */
    cr_expect_eq(frames_free_count(&fa), 30);
    frames_add(&fa, 45, 1);
    mark(expect, N, 45, 1, true);
    cr_expect_eq(frames_free_count(&fa), 31);
    cr_expect_eq(frames_used_count(&fa), 0);
    check_managed(expect, N);
}

Test(frames, add_clips_at_nframes)
{
    setup(N);
    bool expect[N] = {false};
    frames_add(&fa, N, 5); /* wholly beyond */
    frames_add(&fa, N + 100, 1);
    cr_expect_eq(frames_free_count(&fa), 0);
    frames_add(&fa, N - 5, 100); /* partly beyond */
    mark(expect, N, N - 5, 5, true);
    cr_expect_eq(frames_free_count(&fa), 5);
    frames_add(&fa, N - 10, SIZE_MAX); /* first + count overflows */
    mark(expect, N, N - 10, 10, true);
    cr_expect_eq(frames_free_count(&fa), 10);
    check_managed(expect, N);
}

Test(frames, reserve_arithmetic)
{
    setup(N);
    bool expect[N] = {false};
    frames_add(&fa, 0, N);
    mark(expect, N, 0, N, true);
    frames_reserve(&fa, 0, 16);
    mark(expect, N, 0, 16, false);
    cr_expect_eq(frames_free_count(&fa), N - 16);
    frames_reserve(&fa, 8, 16); /* overlaps: 16..23 are new */
    mark(expect, N, 8, 16, false);
    cr_expect_eq(frames_free_count(&fa), N - 24);
    frames_reserve(&fa, 8, 16); /* twice: nothing new */
    frames_reserve(&fa, 0, 24);
    cr_expect_eq(frames_free_count(&fa), N - 24);
    frames_reserve(&fa, 50, 0); /* empty */
    cr_expect_eq(frames_free_count(&fa), N - 24);
    frames_reserve(&fa, 100, 1); /* a single frame */
    mark(expect, N, 100, 1, false);
    cr_expect_eq(frames_free_count(&fa), N - 25);
    frames_reserve(&fa, N, 10); /* beyond: nothing */
    frames_reserve(&fa, SIZE_MAX, 10);
    cr_expect_eq(frames_free_count(&fa), N - 25);
    frames_reserve(&fa, N - 3, SIZE_MAX); /* clipped, no overflow */
    mark(expect, N, N - 3, 3, false);
    cr_expect_eq(frames_free_count(&fa), N - 28);
    cr_expect_eq(frames_used_count(&fa), 0);
    check_managed(expect, N);
}

Test(frames, reserve_unmanaged_changes_nothing)
{
    setup(N);
    bool expect[N] = {false};
    frames_add(&fa, 40, 20); /* 40..59 */
    mark(expect, N, 40, 20, true);
    frames_reserve(&fa, 0, 40); /* never added */
    frames_reserve(&fa, 60, 100);
    cr_expect_eq(frames_free_count(&fa), 20);
    frames_reserve(&fa, 30, 15); /* 30..44: only 40..44 were managed */
    mark(expect, N, 30, 15, false);
    cr_expect_eq(frames_free_count(&fa), 15);
    frames_reserve(&fa, 35, 15); /* 45..49 new, the rest reserved already */
    mark(expect, N, 35, 15, false);
    cr_expect_eq(frames_free_count(&fa), 10);
    check_managed(expect, N);
}

/* ---- alloc ------------------------------------------------------------ */

Test(frames, alloc_hands_out_every_managed_frame_once)
{
    setup(N);
    bool expect[N] = {false}, got[N];
    /* Holes at the start, within words, across a word boundary, at the end. */
    frames_add(&fa, 3, N - 3);
    mark(expect, N, 3, N - 3, true);
    frames_reserve(&fa, 17, 1);
    frames_reserve(&fa, 60, 10); /* 60..69 crosses 64 */
    frames_reserve(&fa, N - 4, 4);
    mark(expect, N, 17, 1, false);
    mark(expect, N, 60, 10, false);
    mark(expect, N, N - 4, 4, false);
    size_t managed = frames_free_count(&fa);
    cr_assert_eq(managed, N - 3 - 1 - 10 - 4);

    size_t n = alloc_all(expect, got);
    cr_expect_eq(n, managed);
    for (size_t f = 0; f < N; f++)
        cr_expect_eq(got[f], expect[f], "frame %zu: handed out %d, managed %d", f, got[f],
                     expect[f]);
    cr_expect_eq(frames_used_count(&fa), managed);
    size_t f = 777;
    cr_expect(!frames_alloc(&fa, &f), "alloc succeeded with nothing free");
    cr_expect(!frames_alloc(&fa, &f));
    cr_expect_eq(f, 777);
    check_consistent();
}

Test(frames, freed_frame_comes_back)
{
    setup(N);
    bool got[N];
    frames_add(&fa, 0, N);
    alloc_all(NULL, got);
    const size_t some[] = {0, 31, 32, 150, N - 1};
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++) {
        size_t f;
        cr_assert_eq(frames_free(&fa, some[i]), FRAME_OK);
        cr_assert_eq(frames_free_count(&fa), 1);
        cr_assert_eq(frames_used_count(&fa), N - 1);
        cr_assert(frames_alloc(&fa, &f));
        cr_assert_eq(f, some[i], "the only free frame was %zu, got %zu", some[i], f);
        cr_assert(!frames_alloc(&fa, &f));
    }
    check_consistent();
}

Test(frames, free_everything_then_alloc_everything_again)
{
    setup(N);
    bool got[N], got2[N];
    frames_add(&fa, 0, N);
    frames_reserve(&fa, 0, 1);
    size_t n = alloc_all(NULL, got);
    cr_assert_eq(n, N - 1);
    for (size_t f = N; f-- > 0;)
        if (got[f])
            cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_assert_eq(frames_free_count(&fa), N - 1);
    cr_assert_eq(alloc_all(NULL, got2), N - 1);
    cr_assert(memcmp(got, got2, N) == 0);
}

/* ---- free errors -------------------------------------------------------- */

Test(frames, free_errors)
{
    setup(N);
    frames_add(&fa, 0, 100);
    frames_reserve(&fa, 0, 10);
    size_t f;
    cr_assert(frames_alloc(&fa, &f));
    size_t nfree = frames_free_count(&fa), nused = frames_used_count(&fa);

    cr_expect_eq(frames_free(&fa, 5), FRAME_NOT_MANAGED, "reserved frame");
    cr_expect_eq(frames_free(&fa, 150), FRAME_NOT_MANAGED, "never added");
    cr_expect_eq(frames_free(&fa, N), FRAME_NOT_MANAGED, "one past the end");
    cr_expect_eq(frames_free(&fa, N + 1000), FRAME_NOT_MANAGED);
    cr_expect_eq(frames_free(&fa, SIZE_MAX), FRAME_NOT_MANAGED);
    size_t other = f == 50 ? 51 : 50;
    cr_expect_eq(frames_free(&fa, other), FRAME_NOT_USED, "managed but never handed out");
    cr_expect_eq(frames_free_count(&fa), nfree, "a refused free changed the count");
    cr_expect_eq(frames_used_count(&fa), nused);

    cr_expect_eq(frames_free(&fa, f), FRAME_OK);
    cr_expect_eq(frames_free_count(&fa), nfree + 1);
    cr_expect_eq(frames_free(&fa, f), FRAME_NOT_USED, "double free");
    cr_expect_eq(frames_free_count(&fa), nfree + 1, "a double free counted twice");
    cr_expect_eq(frames_used_count(&fa), nused - 1);
    check_consistent();
}

Test(frames, frame_allocated_once_is_freed_once)
{
    setup(N);
    size_t first;
    frames_add(&fa, 0, N);
    cr_assert(frames_alloc_run(&fa, 5, 1, &first));
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(frames_free(&fa, first + i), FRAME_OK);
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(frames_free(&fa, first + i), FRAME_NOT_USED);
    cr_expect_eq(frames_free_count(&fa), N);
    check_consistent();
}

/* ---- runs --------------------------------------------------------------- */

/* Frames first..first+n-1 were free: check them and mark them. */
static void take_run(bool *taken, size_t first, size_t n, size_t align)
{
    cr_assert_eq(first % align, 0, "run at %zu not aligned to %zu", first, align);
    cr_assert_leq(first + n, fa.nframes);
    for (size_t f = first; f < first + n; f++) {
        cr_assert(!taken[f], "frame %zu handed out twice", f);
        taken[f] = true;
    }
}

Test(frames, run_alignment)
{
    setup(N);
    bool taken[N] = {false};
    frames_add(&fa, 3, N - 3); /* frame 0 is not managed: the first aligned start is not 0 */
    taken[0] = taken[1] = taken[2] = true;
    static const size_t aligns[] = {1, 2, 4, 8, 16, 32, 64};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        size_t first, before = frames_free_count(&fa);
        cr_assert(frames_alloc_run(&fa, 3, aligns[i], &first), "align %zu", aligns[i]);
        take_run(taken, first, 3, aligns[i]);
        cr_assert_eq(frames_free_count(&fa), before - 3);
        cr_assert(first >= 3, "run at %zu includes unmanaged frames", first);
    }
    check_consistent();
}

Test(frames, run_bad_arguments)
{
    setup(N);
    frames_add(&fa, 0, N);
    size_t first = 4242;
    cr_expect(!frames_alloc_run(&fa, 0, 1, &first), "n = 0");
    cr_expect(!frames_alloc_run(&fa, 1, 0, &first), "align = 0");
    cr_expect(!frames_alloc_run(&fa, 1, 3, &first), "align not a power of two");
    cr_expect(!frames_alloc_run(&fa, 2, 12, &first), "align not a power of two");
    cr_expect(!frames_alloc_run(&fa, N + 1, 1, &first), "more than there are");
    cr_expect(!frames_alloc_run(&fa, SIZE_MAX, 1, &first));
    cr_expect_eq(first, 4242, "a failed alloc_run wrote *first");
    cr_expect_eq(frames_free_count(&fa), N);
    /* An alignment beyond all frames leaves only frame 0 (and no overflow). */
    bool ok = frames_alloc_run(&fa, 1, (size_t)1 << (sizeof(size_t) * 8 - 1), &first);
    cr_expect(!ok || first == 0, "run at %zu", first);
    cr_expect_eq(frames_free_count(&fa), N - ok);
    check_consistent();
}

Test(frames, run_exact_fit_at_the_end)
{
    setup(N); /* N = 200: 192 = 3 * 64 */
    size_t first;
    frames_add(&fa, N - 8, 8);
    cr_expect(!frames_alloc_run(&fa, 9, 1, &first), "9 frames out of 8");
    cr_expect(!frames_alloc_run(&fa, 8, 128, &first), "no 128-aligned start is managed");
    cr_expect_eq(frames_free_count(&fa), 8);
    cr_assert(frames_alloc_run(&fa, 8, 64, &first));
    cr_expect_eq(first, N - 8);
    cr_expect_eq(frames_free_count(&fa), 0);
    cr_expect_eq(frames_used_count(&fa), 8);
    cr_expect(!frames_alloc(&fa, &first));
    check_consistent();
}

Test(frames, run_never_extends_past_nframes)
{
    setup(N);
    size_t first;
    frames_add(&fa, N - 6, 6); /* 194..199 */
    /* 8-aligned starts: 192 is not managed, 200 is past the end. */
    cr_expect(!frames_alloc_run(&fa, 4, 8, &first));
    cr_expect(!frames_alloc_run(&fa, 1, 8, &first));
    cr_expect(!frames_alloc_run(&fa, 7, 1, &first));
    cr_assert(frames_alloc_run(&fa, 4, 4, &first));
    cr_expect_eq(first, 196);
    cr_assert(frames_alloc_run(&fa, 2, 2, &first));
    cr_expect_eq(first, 194);
    cr_expect_eq(frames_free_count(&fa), 0);
    check_consistent();
}

Test(frames, run_at_the_end_of_an_odd_sized_allocator)
{
    /* 70 frames: the last word has 6 bits of ours and 26 spare ones. */
    setup(70);
    size_t first;
    frames_add(&fa, 0, 70);
    frames_reserve(&fa, 0, 66);
    cr_expect(!frames_alloc_run(&fa, 5, 1, &first), "only 66..69 are managed");
    cr_assert(frames_alloc_run(&fa, 4, 2, &first));
    cr_expect_eq(first, 66);
    check_consistent();
}

Test(frames, run_fails_when_fragmented)
{
    setup(N);
    bool got[N];
    size_t first;
    frames_add(&fa, 0, N);
    alloc_all(NULL, got);
    for (size_t f = 0; f < N; f += 2)
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_assert_eq(frames_free_count(&fa), N / 2);
    cr_expect(!frames_alloc_run(&fa, 2, 1, &first), "half the frames free, but no two adjacent");
    cr_expect(!frames_alloc_run(&fa, 2, 2, &first));
    cr_expect_eq(frames_free_count(&fa), N / 2);
    /* Free 101 and 103: 100..104 is the only run of five. */
    cr_assert_eq(frames_free(&fa, 101), FRAME_OK);
    cr_assert_eq(frames_free(&fa, 103), FRAME_OK);
    cr_expect(!frames_alloc_run(&fa, 6, 1, &first));
    cr_expect(!frames_alloc_run(&fa, 5, 8, &first), "100 is not 8-aligned");
    cr_assert(frames_alloc_run(&fa, 5, 4, &first));
    cr_expect_eq(first, 100);
    cr_assert(frames_alloc_run(&fa, 1, 1, &first)); /* single frames still work */
    cr_expect_eq(first % 2, 0);
    check_consistent();
}

Test(frames, run_across_a_bitmap_word_boundary)
{
    setup(N);
    bool got[N];
    size_t first;
    frames_add(&fa, 0, N);
    alloc_all(NULL, got);
    for (size_t f = 30; f < 34; f++) /* bits 30, 31 of word 0; 0, 1 of word 1 */
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_assert(frames_alloc_run(&fa, 4, 2, &first));
    cr_expect_eq(first, 30);
    cr_expect_eq(frames_free_count(&fa), 0);

    for (size_t f = 20; f < 100; f++) /* across two boundaries */
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_expect(!frames_alloc_run(&fa, 81, 1, &first));
    cr_assert(frames_alloc_run(&fa, 64, 32, &first));
    cr_expect_eq(first, 32);
    cr_assert(frames_alloc_run(&fa, 12, 4, &first));
    cr_expect_eq(first, 20);
    cr_expect(!frames_alloc_run(&fa, 5, 1, &first), "96..99 is only four");
    cr_assert(frames_alloc_run(&fa, 4, 1, &first));
    cr_expect_eq(first, 96);
    cr_expect_eq(frames_free_count(&fa), 0);
    check_consistent();
}

/* The search starts where the last one ended; a free run that begins
 * before that point and extends past it must still be found. */
Test(frames, run_straddling_the_search_start)
{
    setup(N);
    bool got[N];
    size_t first;
    frames_add(&fa, 0, N);
    alloc_all(NULL, got);
    for (size_t f = 10; f < 15; f++)
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    for (size_t f = 30; f < 40; f++)
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_assert(frames_alloc_run(&fa, 8, 1, &first)); /* 10..14 is too short */
    cr_expect_eq(first, 30);
    for (size_t f = 15; f < 18; f++) /* now 10..17 is free */
        cr_assert_eq(frames_free(&fa, f), FRAME_OK);
    cr_assert(frames_alloc_run(&fa, 8, 1, &first));
    cr_expect_eq(first, 10);
    cr_assert(frames_alloc_run(&fa, 2, 2, &first));
    cr_expect_eq(first, 38);
    cr_expect_eq(frames_free_count(&fa), 0);
    check_consistent();
}

/* ---- the randomized model check ------------------------------------------ */

/* splitmix64: small, and the same sequence everywhere. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}

/* The reference: two plain bool arrays, and a list of allocated frames. */
static struct {
    size_t n;
    bool managed[MAXF], used[MAXF];
    size_t nmanaged, nused;
    size_t alloc[MAXF], nalloc;
} m;

static void model_set_managed(size_t first, size_t count, bool value)
{
    for (size_t f = first; f < m.n && f - first < count; f++) {
        m.nmanaged += value && !m.managed[f];
        m.nmanaged -= !value && m.managed[f];
        m.managed[f] = value;
    }
}

static bool model_run_free(size_t first, size_t n)
{
    if (first + n > m.n)
        return false;
    for (size_t f = first; f < first + n; f++)
        if (!m.managed[f] || m.used[f])
            return false;
    return true;
}

static bool model_has_run(size_t n, size_t align)
{
    for (size_t f = 0; f + n <= m.n; f += align)
        if (model_run_free(f, n))
            return true;
    return false;
}

static void model_take(size_t f)
{
    m.used[f] = true;
    m.nused++;
    m.alloc[m.nalloc++] = f;
}

static void model_check_counts(unsigned long op)
{
    cr_assert_eq(frames_free_count(&fa), m.nmanaged - m.nused, "op %lu: free count %zu, model %zu",
                 op, frames_free_count(&fa), m.nmanaged - m.nused);
    cr_assert_eq(frames_used_count(&fa), m.nused, "op %lu: used count %zu, model %zu", op,
                 frames_used_count(&fa), m.nused);
}

static void model_check_bitmaps(unsigned long op)
{
    for (size_t f = 0; f < m.n; f++) {
        cr_assert_eq(bitmap_test(&fa.managed, f), m.managed[f], "op %lu: frame %zu managed", op, f);
        cr_assert_eq(bitmap_test(&fa.used, f), m.used[f], "op %lu: frame %zu used", op, f);
    }
    check_consistent();
}

static void run_model(uint64_t seed, size_t nframes, unsigned long ops)
{
    rng_state = seed;
    memset(&m, 0, sizeof m);
    m.n = nframes;
    setup(nframes);

    /* A random memory map: a few RAM ranges, then a few reservations. */
    for (size_t i = 0, k = 1 + below(5); i < k; i++) {
        size_t first = below(nframes + 8), count = below(nframes / 2 + 1);
        frames_add(&fa, first, count);
        model_set_managed(first, count, true);
    }
    frames_add(&fa, 0, nframes / 3); /* at least some RAM */
    model_set_managed(0, nframes / 3, true);
    for (size_t i = 0, k = below(5); i < k; i++) {
        size_t first = below(nframes + 8), count = below(nframes / 8 + 1);
        frames_reserve(&fa, first, count);
        model_set_managed(first, count, false);
    }
    model_check_bitmaps(0);
    model_check_counts(0);

    unsigned long allocs = 0, runs = 0, run_fails = 0, exhausted = 0;
    for (unsigned long op = 1; op <= ops; op++) {
        /* Alternate phases: mostly alloc (long enough to run out), mostly free. */
        bool filling = (op / (nframes < 200 ? 400 : 2 * nframes)) % 2 == 0;
        unsigned kind = (unsigned)below(100);
        unsigned p_alloc = filling ? 40 : 15, p_run = filling ? 25 : 12;
        size_t f;
        if (kind < p_alloc) {
            bool ok = frames_alloc(&fa, &f);
            cr_assert_eq(ok, m.nused < m.nmanaged, "op %lu: alloc returned %d with %zu free", op,
                         ok, m.nmanaged - m.nused);
            if (ok) {
                cr_assert_lt(f, m.n, "op %lu: frame %zu", op, f);
                cr_assert(m.managed[f], "op %lu: frame %zu is not managed", op, f);
                cr_assert(!m.used[f], "op %lu: frame %zu is already used", op, f);
                model_take(f);
                allocs++;
            } else {
                exhausted++;
            }
        } else if (kind < p_alloc + p_run) {
            size_t n = below(8) == 0 ? 1 + below(40) : 1 + below(6);
            size_t align = (size_t)1 << below(6);
            bool bad = below(50) == 0;
            if (bad) { /* an invalid request now and then */
                if (below(2))
                    n = 0;
                else
                    align = below(2) ? 0 : 3 + 2 * below(5);
            }
            bool expect = !bad && model_has_run(n, align);
            bool ok = frames_alloc_run(&fa, n, align, &f);
            cr_assert_eq(ok, expect, "op %lu: alloc_run(%zu, %zu) returned %d, the model %d", op, n,
                         align, ok, expect);
            if (ok) {
                cr_assert_eq(f % align, 0, "op %lu: run at %zu, align %zu", op, f, align);
                cr_assert(model_run_free(f, n), "op %lu: run %zu+%zu was not free", op, f, n);
                for (size_t i = 0; i < n; i++)
                    model_take(f + i);
                runs++;
            } else {
                run_fails++;
            }
        } else if (kind < 95) {
            if (m.nalloc == 0)
                continue;
            size_t i = below(m.nalloc);
            f = m.alloc[i];
            m.alloc[i] = m.alloc[--m.nalloc];
            cr_assert_eq(frames_free(&fa, f), FRAME_OK, "op %lu: free(%zu)", op, f);
            m.used[f] = false;
            m.nused--;
        } else { /* a bad free: a free frame, an unmanaged one, or out of range */
            f = below(8) == 0 ? m.n + below(3) * 1000 : below(m.n);
            if (f < m.n && m.used[f])
                f = below(2) ? SIZE_MAX : m.n;
            enum frame_error expect =
                f >= m.n || !m.managed[f] ? FRAME_NOT_MANAGED : FRAME_NOT_USED;
            cr_assert_eq(frames_free(&fa, f), expect, "op %lu: bad free(%zu)", op, f);
        }
        model_check_counts(op);
        if (op % 128 == 0)
            model_check_bitmaps(op);
    }
    /* The sequence did what it was meant to: all outcomes occurred. */
    cr_assert(allocs > ops / 10 && runs > ops / 20 && run_fails > 0 && exhausted > 0,
              "allocs %lu runs %lu run failures %lu exhausted %lu", allocs, runs, run_fails,
              exhausted);

    /* Free everything (in random order): nothing leaked. */
    while (m.nalloc > 0) {
        size_t i = below(m.nalloc);
        size_t fr = m.alloc[i];
        m.alloc[i] = m.alloc[--m.nalloc];
        cr_assert_eq(frames_free(&fa, fr), FRAME_OK, "final free(%zu)", fr);
        m.used[fr] = false;
        m.nused--;
    }
    model_check_counts(ops + 1);
    model_check_bitmaps(ops + 1);
    cr_assert_eq(frames_free_count(&fa), m.nmanaged);
    cr_assert_eq(frames_used_count(&fa), 0);
    bool got[MAXF];
    cr_assert_eq(alloc_all(m.managed, got), m.nmanaged);
}

Test(frames_model, small)
{
    run_model(0x7469646570ul, 70, 8000);
}
Test(frames_model, medium)
{
    run_model(0x1BADB002ul, 333, 8000);
}
Test(frames_model, large)
{
    run_model(0xC0FFEEul, 1024, 8000);
}
#endif /* LAB >= 3 */
