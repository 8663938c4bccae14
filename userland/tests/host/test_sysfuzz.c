/*
 * test_sysfuzz.c -- the system-call fuzzer's pure parts (userland/fuzz/):
 * its random streams, the interesting values, the call table and the
 * defanging that keeps a run from ending or stalling itself.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "calls.h"
#include "rng.h"
#include "values.h"
#include "../../kernel/abi/syscall.h"
/* The ABI's wait.h (SIGKILL, SIG_IGN, ...) defines W* macros that
 * glibc's stdlib.h, which Criterion includes, has defined already. */
#undef WIFEXITED
#undef WEXITSTATUS
#undef WIFSIGNALED
#undef WTERMSIG
#include "../../kernel/abi/wait.h"

static char path_buf[1024];

/* A made-up address space in the shape worker.c builds. */
static struct regions fake_regions(void)
{
    return (struct regions){
        .text_lo = 0x40000000, .text_hi = 0x40009000,
        .data_lo = 0x4000a000, .data_hi = 0x4000e000,
        .data_tail = 0x40050000, .data_tail_room = 0x200,
        .heap_lo = 0x40051000, .heap_hi = 0x40061000,
        .stack_lo = 0xffff0000, .stack_hi = 0xffff8000,
        .path = 0x4000c000, .path_buf = path_buf,
    };
}

Test(sysfuzz_rng, same_stream_same_numbers)
{
    struct rng a, b;
    rng_seed(&a, 7, 1, 2);
    rng_seed(&b, 7, 1, 2);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rng_next(&a), rng_next(&b));
}

Test(sysfuzz_rng, streams_differ_by_seed_worker_thread)
{
    struct rng s[4];
    rng_seed(&s[0], 7, 1, 2);
    rng_seed(&s[1], 8, 1, 2);
    rng_seed(&s[2], 7, 2, 2);
    rng_seed(&s[3], 7, 1, 3);
    uint32_t first[4];
    for (int i = 0; i < 4; i++)
        first[i] = rng_next(&s[i]);
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            cr_assert_neq(first[i], first[j], "streams %d and %d start alike", i, j);
}

/* Every kind lands where its name says. */
Test(sysfuzz_values, pointers_of_each_kind_land_in_their_region)
{
    struct regions g = fake_regions();
    struct rng r;
    rng_seed(&r, 1, 0, 0);
    for (int i = 0; i < 20000; i++) {
        enum ptr_kind k;
        uint32_t p = pick_ptr(&r, &g, &k);
        switch (k) {
        case PTR_NULL: cr_assert_eq(p, 0); break;
        case PTR_TEXT: cr_assert(p >= g.text_lo && p < g.text_hi); break;
        case PTR_DATA: cr_assert(p >= g.data_lo && p < g.data_hi); break;
        case PTR_DATA_TAIL: cr_assert(p >= g.data_tail - g.data_tail_room && p < g.data_tail); break;
        case PTR_HEAP: cr_assert(p >= g.heap_lo && p < g.heap_hi); break;
        case PTR_HEAP_TAIL: cr_assert(p >= g.heap_hi - 64 && p < g.heap_hi); break;
        case PTR_STACK: cr_assert(p >= g.stack_lo && p < g.stack_hi); break;
        case PTR_KERNEL:
        case PTR_BELOW_USER: cr_assert(p < USER_BASE || p >= USER_TOP, "%#x", p); break;
        case PTR_USER_TOP: cr_assert(p >= USER_TOP - 16 && p < USER_TOP); break;
        case PTR_WRAP: cr_assert(p >= 0xfffffff0u); break;
        case PTR_UNMAPPED: cr_assert(p > g.heap_hi && p < g.stack_lo); break;
        case PTR_MISALIGNED: cr_assert(p % 2 == 1 && p >= g.data_lo && p < g.data_hi); break;
        case PTR_KINDS: cr_assert_fail("no kind"); break;
        }
    }
}

Test(sysfuzz_values, sizes_reach_the_boundaries)
{
    struct rng r;
    rng_seed(&r, 1, 0, 0);
    int seen0 = 0, seen_page = 0, seen_2g = 0, seen_minus1 = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t n = pick_size(&r);
        seen0 |= n == 0;
        seen_page |= n == 4096;
        seen_2g |= n == 0x80000000u;
        seen_minus1 |= n == 0xffffffffu;
    }
    cr_assert(seen0 && seen_page && seen_2g && seen_minus1);
}

Test(sysfuzz_values, descriptors_never_the_report_line)
{
    struct rng r;
    rng_seed(&r, 1, 0, 0);
    int seen_bad = 0;
    for (int i = 0; i < 20000; i++) {
        int32_t fd = pick_fd(&r);
        cr_assert_neq(fd, FD_REPORT);
        seen_bad |= fd < 0 || fd > FD_REPORT;
    }
    cr_assert(seen_bad);
}

/* The worker's own names stay below its directory: nothing absolute
 * that could exist, never "..". */
Test(sysfuzz_values, own_paths_stay_inside)
{
    struct rng r;
    rng_seed(&r, 1, 0, 0);
    char buf[512];
    for (int i = 0; i < 20000; i++) {
        if (values_path(&r, PATH_SET_OWN, buf, sizeof buf) < 0)
            continue;
        cr_assert_null(strstr(buf, ".."), "%s", buf);
        if (buf[0] == '/')
            cr_assert(strcmp(buf, "/fz-no/a") == 0 || strncmp(buf, "/nonexistent/", 13) == 0 ||
                      strncmp(buf, "/bin/nonexistent/", 17) == 0 ||
                      strncmp(buf, "/bad/nonexistent/", 17) == 0, "absolute name %s", buf);
    }
}

Test(sysfuzz_values, exec_paths_never_the_workers_files)
{
    struct rng r;
    rng_seed(&r, 1, 0, 0);
    char buf[512];
    for (int i = 0; i < 20000; i++) {
        if (values_path(&r, PATH_SET_EXEC, buf, sizeof buf) < 0)
            continue;
        cr_assert(strcmp(buf, "a") != 0 && strcmp(buf, "b") != 0 && strcmp(buf, "e") != 0 &&
                  strcmp(buf, "d/a") != 0, "execve of the worker's own file %s", buf);
    }
}

/* A path argument of a call that changes the tree is one of the
 * worker's names or a pointer with no name behind it. */
Test(sysfuzz_calls, changing_paths_are_names_or_nameless)
{
    struct regions g = fake_regions();
    struct rng r;
    rng_seed(&r, 5, 0, 0);
    calls_only("mkdir,rename,unlink,rmdir,open,execve,chdir");
    for (int i = 0; i < 20000; i++) {
        struct call c;
        call_draw(&r, &g, &c);
        for (int a = 0; a < 2; a++) {
            uint8_t k = c.ptr_kind[a];
            if (c.spec->args[a] != A_PATH && c.spec->args[a] != A_PATH_EXEC)
                continue;
            cr_assert(c.a[a] == g.path + (uint32_t)(a & 1) * 512 || k == PTR_USER_TOP ||
                      k == PTR_NULL || k == PTR_KERNEL || k == PTR_BELOW_USER ||
                      k == PTR_UNMAPPED || k == PTR_WRAP, "%s arg %d: kind %s", c.spec->name, a,
                      ptr_kind_name((enum ptr_kind)k));
        }
    }
    calls_only(NULL);
}

static struct call call_of(int nr, uint32_t a0, uint32_t a1)
{
    struct call c = { 0 };
    for (unsigned i = 0; i < call_count; i++)
        if (call_table[i].nr == nr)
            c.spec = &call_table[i];
    cr_assert_not_null(c.spec, "call %d not in the table", nr);
    c.nr = (uint32_t)nr;
    c.a[0] = a0;
    c.a[1] = a1;
    return c;
}

static const struct caller me = { .pid = 5, .ppid = 1, .tid = 7 };

/* Table-driven: the call, its arguments, what defang leaves. */
Test(sysfuzz_calls, defang_table)
{
    static const struct {
        int nr;
        uint32_t a0, a1, want0, want1;
    } cases[] = {
        { SYS_kill, 1, SIGKILL, 1, 0 },                 /* init lives */
        { SYS_kill, 0, SIGTERM, 0, 0 },                 /* the group lives */
        { SYS_kill, (uint32_t)-1, SIGKILL, (uint32_t)-1, 0 },
        { SYS_kill, 0x7fffffff, SIGKILL, 0x7fffffff, SIGKILL }, /* none: as drawn */
        { SYS_kill, 99999, SIGKILL, 99999, 0 },         /* a long run's pids get there */
        { SYS_kill, 1, 0, 1, 0 },
        { SYS_kill, 1, 40, 1, 40 },                     /* an invalid signal: EINVAL */
        { SYS_thread_join, 8, 0, 7, 0 },                /* a sibling: joins itself instead */
        { SYS_thread_join, 0, 0, 0, 0 },
        { SYS_thread_join, 0x7fffffff, 0, 0x7fffffff, 0 },
        { SYS_thread_join, 99999, 0, 7, 0 },            /* could be a sibling's by then */
        { SYS_sleep, 1000, 0, 1, 0 },
        { SYS_sleep, 1, 0, 1, 0 },
        { SYS_signal, SIGPIPE, SIG_DFL, SIGPIPE, SIG_IGN },
        { SYS_signal, SIGINT, SIG_DFL, SIGINT, SIG_DFL },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct call c = call_of(cases[i].nr, cases[i].a0, cases[i].a1);
        defang(&c, &me);
        cr_assert(c.a[0] == cases[i].want0 && c.a[1] == cases[i].want1,
                  "case %u: %s(%#x, %#x) became (%#x, %#x)", i, c.spec->name, cases[i].a0,
                  cases[i].a1, c.a[0], c.a[1]);
    }
}

Test(sysfuzz_calls, thread_entry_never_in_user_space)
{
    struct call c = call_of(SYS_thread_create, 0x40001234, 0);
    defang(&c, &me);
    cr_assert(c.a[0] < USER_BASE || c.a[0] >= USER_TOP, "entry %#x", c.a[0]);
}

Test(sysfuzz_calls, drawn_calls_never_exit)
{
    struct regions g = fake_regions();
    struct rng r;
    rng_seed(&r, 3, 0, 0);
    calls_only(NULL);
    for (int i = 0; i < 50000; i++) {
        struct call c;
        call_draw(&r, &g, &c);
        cr_assert(c.nr != SYS_exit && c.nr != SYS_thread_exit, "%s drew %u", c.spec->name, c.nr);
    }
}

Test(sysfuzz_calls, only_narrows_the_table)
{
    cr_assert_eq(calls_only("read,write"), 2);
    cr_assert_eq(calls_only("nope"), 0);
    cr_assert_eq(calls_only("read,nope,pipe_roundtrip"), 2);
    cr_assert_eq(calls_only(NULL), (int)call_count);
}
