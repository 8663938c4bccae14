/* timerq_test.c -- host tests for kernel/proc/timerq.c (the sleepers' queue, sorted by due tick). */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "proc/timerq.h"

/* A stand-in for a sleeping thread: an id around the timer node. */
struct sleeper {
    int id;
    struct timer_node timer;
};

#define NSLEEPERS 128

static struct timerq q;
static struct sleeper s[NSLEEPERS];

static void setup(void)
{
    /* Garbage first: timerq_init must not rely on zeroed storage. */
    memset(&q, 0xA5, sizeof q);
    timerq_init(&q);
    for (int i = 0; i < NSLEEPERS; i++) {
        s[i].id = i;
        s[i].timer.due = 0xDEADBEEF;
        list_init(&s[i].timer.link); /* list.h: nodes are list_init()ed before first use */
    }
}

static int id_of(const struct timer_node *t)
{
    return t == NULL ? -1 : container_of(t, struct sleeper, timer)->id;
}

static void insert(int i, uint32_t due)
{
    timerq_insert(&q, &s[i].timer, due);
}

static struct timer_node *pop(uint32_t now)
{
    return timerq_pop_due(&q, now);
}

/* The queue holds exactly ids[0..n-1], front first, each due at dues[i];
 * the links agree both ways. */
static void check_queue(const int *ids, const uint32_t *dues, size_t n)
{
    cr_assert_eq(list_length(&q.head), n, "the queue has %zu nodes, expected %zu",
                 list_length(&q.head), n);
    struct list_node *p = &q.head;
    for (size_t i = 0; i < n; i++) {
        struct list_node *next = p->next;
        cr_assert_eq(next->prev, p, "position %zu: broken prev link", i);
        const struct timer_node *t = list_entry(next, struct timer_node, link);
        cr_assert_eq(id_of(t), ids[i], "position %zu: sleeper %d, expected %d", i, id_of(t),
                     ids[i]);
        cr_assert_eq(t->due, dues[i], "position %zu: due %#x, expected %#x", i, t->due, dues[i]);
        cr_assert(timerq_queued(t));
        p = next;
    }
    cr_assert_eq(p->next, &q.head, "the queue goes on after its last node");
    cr_assert_eq(q.head.prev, p, "the head's prev is not the last node");
    uint32_t due = 0x12345678;
    cr_assert_eq(timerq_next_due(&q, &due), n > 0);
    if (n > 0)
        cr_assert_eq(due, dues[0], "next_due %#x, expected %#x", due, dues[0]);
    else
        cr_assert_eq(due, 0x12345678, "next_due of an empty queue wrote *due");
}

/* Pops at `now` until nothing is due: exactly ids[0..n-1], in that order. */
static void expect_pops(uint32_t now, const int *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct timer_node *t = pop(now);
        cr_assert_eq(id_of(t), ids[i], "now %#x, pop %zu: sleeper %d, expected %d", now, i,
                     id_of(t), ids[i]);
        cr_assert(!timerq_queued(t), "now %#x: popped sleeper %d is still queued", now, ids[i]);
    }
    struct timer_node *t = pop(now);
    cr_assert_null(t, "now %#x: sleeper %d (due %#x) popped, expected nothing more", now, id_of(t),
                   t != NULL ? t->due : 0);
}

/* A broken queue may loop forever: fail instead of hanging the run.
 * Both suites use the longest timeout of the suites that run before them
 * (120 s), never a shorter one: the BoxFort in Criterion 2.4 keeps the
 * pending timeouts in a list sorted by deadline, and pushing one due
 * before a pending one drops the rest of the list -- those tests then
 * run with no timeout at all, and LeakSanitizer reports the lost
 * requests (calloc in libcriterion.so) when the runner exits. */
TestSuite(timerq, .timeout = 120);
TestSuite(timerq_model, .timeout = 120);

/* ---- unit tests ---------------------------------------------------------- */

Test(timerq, tick_before_is_wrap_aware)
{
    cr_expect(tick_before(1, 2));
    cr_expect(!tick_before(2, 1));
    cr_expect(!tick_before(5, 5));
    cr_expect(tick_before(0xFFFFFFF0u, 0x10));
    cr_expect(!tick_before(0x10, 0xFFFFFFF0u));
    cr_expect(tick_before(0xFFFFFFFFu, 0));
    cr_expect(!tick_before(0, 0xFFFFFFFFu));
}

Test(timerq, empty)
{
    setup();
    uint32_t due = 777;
    cr_expect(!timerq_next_due(&q, &due));
    cr_expect_eq(due, 777, "next_due of an empty queue wrote *due");
    cr_expect_null(pop(0));
    cr_expect_null(pop(0x7FFFFFFF));
    cr_expect_null(pop(0x80000000u));
    cr_expect_null(pop(0xFFFFFFFFu));
    cr_expect(!timerq_queued(&s[0].timer), "a fresh node is queued");
    check_queue(NULL, NULL, 0);
}

Test(timerq, not_due_yet_stays_queued)
{
    setup();
    insert(0, 100);
    cr_expect(timerq_queued(&s[0].timer));
    cr_expect_eq(s[0].timer.due, 100, "insert did not set due");
    cr_expect_null(pop(0), "popped at 0, due at 100");
    cr_expect_null(pop(50));
    cr_expect_null(pop(99), "popped one tick early");
    cr_expect(timerq_queued(&s[0].timer), "a failed pop unqueued the node");
    check_queue((int[]){0}, (uint32_t[]){100}, 1);
}

Test(timerq, due_exactly_now_pops)
{
    setup();
    insert(0, 100);
    expect_pops(100, (int[]){0}, 1);
    check_queue(NULL, NULL, 0);
    /* Due now, inserted now: sleep(0). */
    insert(1, 100);
    expect_pops(100, (int[]){1}, 1);
}

Test(timerq, overdue_pops)
{
    setup();
    insert(0, 100);
    expect_pops(150, (int[]){0}, 1);
    insert(1, 200);
    expect_pops(200 + 0x7FFFFFFFu, (int[]){1}, 1); /* as late as can be */
}

Test(timerq, order_by_due)
{
    setup();
    insert(0, 30);
    insert(1, 10);
    insert(2, 40);
    insert(3, 20);
    insert(4, 5);
    insert(5, 35);
    check_queue((int[]){4, 1, 3, 0, 5, 2}, (uint32_t[]){5, 10, 20, 30, 35, 40}, 6);
    expect_pops(4, NULL, 0);
    expect_pops(22, (int[]){4, 1, 3}, 3);
    check_queue((int[]){0, 5, 2}, (uint32_t[]){30, 35, 40}, 3);
    expect_pops(30, (int[]){0}, 1);
    expect_pops(1000, (int[]){5, 2}, 2);
    check_queue(NULL, NULL, 0);
}

Test(timerq, equal_dues_pop_in_insertion_order)
{
    setup();
    insert(0, 50);
    insert(1, 50);
    insert(2, 30);
    insert(3, 50);
    insert(4, 70);
    insert(5, 30);
    insert(6, 50);
    insert(7, 70);
    check_queue((int[]){2, 5, 0, 1, 3, 6, 4, 7}, (uint32_t[]){30, 30, 50, 50, 50, 50, 70, 70}, 8);
    expect_pops(50, (int[]){2, 5, 0, 1, 3, 6}, 6);
    /* Another one at 70 now goes behind both that are there. */
    insert(8, 70);
    expect_pops(70, (int[]){4, 7, 8}, 3);
}

Test(timerq, equal_dues_at_the_front)
{
    setup();
    for (int i = 0; i < 10; i++)
        insert(i, 7);
    expect_pops(7, (int[]){0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
}

Test(timerq, cancel_queued)
{
    setup();
    insert(0, 10);
    insert(1, 20);
    insert(2, 30);
    insert(3, 40);
    cr_expect(timerq_cancel(&q, &s[1].timer), "cancel of a queued node returned false");
    cr_expect(!timerq_queued(&s[1].timer), "a cancelled node is still queued");
    check_queue((int[]){0, 2, 3}, (uint32_t[]){10, 30, 40}, 3);
    cr_expect(timerq_cancel(&q, &s[0].timer), "cancel of the front");
    check_queue((int[]){2, 3}, (uint32_t[]){30, 40}, 2);
    cr_expect(timerq_cancel(&q, &s[3].timer), "cancel of the back");
    check_queue((int[]){2}, (uint32_t[]){30}, 1);
    expect_pops(100, (int[]){2}, 1); /* the cancelled ones never pop */
}

Test(timerq, cancel_unqueued)
{
    setup();
    cr_expect(!timerq_cancel(&q, &s[0].timer), "cancel of a node never queued returned true");
    insert(0, 10);
    insert(1, 10);
    cr_expect(timerq_cancel(&q, &s[0].timer));
    cr_expect(!timerq_cancel(&q, &s[0].timer), "a second cancel returned true");
    check_queue((int[]){1}, (uint32_t[]){10}, 1);
    expect_pops(10, (int[]){1}, 1);
    cr_expect(!timerq_cancel(&q, &s[1].timer), "cancel of a popped node returned true");
    check_queue(NULL, NULL, 0);
}

Test(timerq, cancelled_or_popped_node_can_be_queued_again)
{
    setup();
    insert(0, 10);
    insert(1, 20);
    timerq_cancel(&q, &s[0].timer);
    insert(0, 20); /* equal to 1's: behind it */
    check_queue((int[]){1, 0}, (uint32_t[]){20, 20}, 2);
    expect_pops(20, (int[]){1, 0}, 2);
    insert(1, 5);
    insert(0, 5);
    expect_pops(5, (int[]){1, 0}, 2);
}

Test(timerq, next_due)
{
    setup();
    uint32_t due = 1;
    cr_expect(!timerq_next_due(&q, &due));
    insert(0, 500);
    cr_expect(timerq_next_due(&q, &due));
    cr_expect_eq(due, 500);
    insert(1, 300); /* earlier: the new front */
    cr_expect(timerq_next_due(&q, &due));
    cr_expect_eq(due, 300);
    insert(2, 400); /* later: front unchanged */
    cr_expect(timerq_next_due(&q, &due));
    cr_expect_eq(due, 300);
    timerq_cancel(&q, &s[1].timer);
    cr_expect(timerq_next_due(&q, &due));
    cr_expect_eq(due, 400);
    expect_pops(400, (int[]){2}, 1);
    cr_expect(timerq_next_due(&q, &due));
    cr_expect_eq(due, 500);
    expect_pops(500, (int[]){0}, 1);
    due = 99;
    cr_expect(!timerq_next_due(&q, &due));
    cr_expect_eq(due, 99);
}

/* Across the wrap: 0x10 comes after 0xFFFFFFF0, although it is smaller. */
static void wrap_case(bool late_first)
{
    setup();
    if (late_first) {
        insert(1, 0x00000010u);
        insert(0, 0xFFFFFFF0u);
    } else {
        insert(0, 0xFFFFFFF0u);
        insert(1, 0x00000010u);
    }
    check_queue((int[]){0, 1}, (uint32_t[]){0xFFFFFFF0u, 0x10}, 2);
    expect_pops(0xFFFFFF00u, NULL, 0);
    expect_pops(0xFFFFFFEFu, NULL, 0);
    expect_pops(0xFFFFFFF0u, (int[]){0}, 1);
    expect_pops(0xFFFFFFFFu, NULL, 0);
    expect_pops(0x00000000u, NULL, 0);
    expect_pops(0x0000000Fu, NULL, 0);
    expect_pops(0x00000010u, (int[]){1}, 1);
    check_queue(NULL, NULL, 0);
}

Test(timerq, wrap_around_inserted_in_order)
{
    wrap_case(false);
}

Test(timerq, wrap_around_inserted_out_of_order)
{
    wrap_case(true);
}

Test(timerq, wrap_around_both_overdue)
{
    setup();
    insert(1, 0x00000010u);
    insert(2, 0x00000000u);
    insert(0, 0xFFFFFFF0u);
    insert(3, 0xFFFFFFFFu);
    check_queue((int[]){0, 3, 2, 1}, (uint32_t[]){0xFFFFFFF0u, 0xFFFFFFFFu, 0, 0x10}, 4);
    /* Late: one pass after the wrap takes all of them, oldest first. */
    expect_pops(0x20, (int[]){0, 3, 2, 1}, 4);
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

/* The reference works in 64-bit ticks, which do not wrap: it knows
 * nothing of tick_before. Entries are kept sorted by (due, seq), seq
 * being the insertion count, so equal dues stay in insertion order. */
struct entry {
    int id;
    uint64_t due;
    uint64_t seq;
};

static struct {
    struct entry e[NSLEEPERS];
    size_t n;
    bool queued[NSLEEPERS];
    uint64_t now, seq;
} m;

static void model_insert(int id, uint64_t due)
{
    size_t pos = m.n;
    while (pos > 0 && m.e[pos - 1].due > due) /* stable: equal dues stay in front */
        pos--;
    memmove(&m.e[pos + 1], &m.e[pos], (m.n - pos) * sizeof m.e[0]);
    m.e[pos] = (struct entry){id, due, m.seq++};
    m.n++;
    m.queued[id] = true;
}

static void model_remove_at(size_t pos)
{
    m.queued[m.e[pos].id] = false;
    memmove(&m.e[pos], &m.e[pos + 1], (m.n - pos - 1) * sizeof m.e[0]);
    m.n--;
}

static void model_check(unsigned long op)
{
    for (int i = 0; i < NSLEEPERS; i++)
        cr_assert_eq(timerq_queued(&s[i].timer), m.queued[i], "op %lu: sleeper %d queued %d", op, i,
                     timerq_queued(&s[i].timer));
    int ids[NSLEEPERS];
    uint32_t dues[NSLEEPERS];
    for (size_t i = 0; i < m.n; i++) {
        ids[i] = m.e[i].id;
        dues[i] = (uint32_t)m.e[i].due;
    }
    check_queue(ids, dues, m.n);
}

static void run_model(uint64_t seed, size_t nsleepers, uint32_t start, unsigned long ops)
{
    cr_assert_leq(nsleepers, NSLEEPERS);
    rng_state = seed;
    memset(&m, 0, sizeof m);
    m.now = start;
    setup();
    model_check(0);

    unsigned long inserts = 0, cancels = 0, cancels_unqueued = 0, popped = 0, ties = 0, multi = 0,
                  same_tick_pops = 0;
    for (unsigned long op = 1; op <= ops; op++) {
        unsigned kind = (unsigned)below(100);
        if (kind < 45) {
            if (m.n == nsleepers)
                continue;
            size_t k = below(nsleepers - m.n);
            int id = 0;
            for (;; id++)
                if (!m.queued[id] && k-- == 0)
                    break;
            /* A delay in [0, 1000]; often a short one, so that dues tie. */
            uint64_t delay = below(4) == 0 ? below(4) : below(1001);
            uint64_t due = m.now + delay;
            for (size_t i = 0; i < m.n; i++)
                ties += m.e[i].due == due;
            insert(id, (uint32_t)due);
            model_insert(id, due);
            inserts++;
        } else if (kind < 60) {
            int id = (int)below(nsleepers);
            bool was = m.queued[id];
            bool got = timerq_cancel(&q, &s[id].timer);
            cr_assert_eq(got, was, "op %lu: cancel of sleeper %d returned %d, queued %d", op, id,
                         got, was);
            if (was) {
                size_t pos = 0;
                while (m.e[pos].id != id)
                    pos++;
                model_remove_at(pos);
                cancels++;
            } else {
                cancels_unqueued++;
            }
        } else {
            m.now += below(6);
            uint32_t now = (uint32_t)m.now;
            size_t n = 0;
            for (struct timer_node *t; (t = pop(now)) != NULL; n++) {
                cr_assert_gt(m.n, 0, "op %lu: now %#x: popped sleeper %d from an empty queue", op,
                             now, id_of(t));
                const struct entry *e = &m.e[0];
                cr_assert_eq(id_of(t), e->id,
                             "op %lu: now %#x: popped sleeper %d (due %#x), expected %d (due %#x)",
                             op, now, id_of(t), t->due, e->id, (uint32_t)e->due);
                cr_assert_leq(e->due, m.now, "op %lu: now %#x: sleeper %d popped early (due %#x)",
                              op, now, e->id, (uint32_t)e->due);
                cr_assert_eq(t->due, (uint32_t)e->due);
                cr_assert(!timerq_queued(t), "op %lu: popped sleeper %d is still queued", op,
                          e->id);
                same_tick_pops += e->due == m.now;
                model_remove_at(0);
            }
            cr_assert(m.n == 0 || m.e[0].due > m.now,
                      "op %lu: now %#x: sleeper %d due at %#x was left in the queue", op, now,
                      m.e[0].id, (uint32_t)m.e[0].due);
            popped += n;
            multi += n > 1;
        }
        model_check(op);
    }
    /* The sequence did what it was meant to: every case occurred, and
     * the clock went across the wrap. */
    cr_assert(inserts > ops / 10 && popped > ops / 50 && cancels > 0 && cancels_unqueued > 0 &&
                  ties > 0 && multi > 0 && same_tick_pops > 0,
              "inserts %lu popped %lu cancels %lu (unqueued %lu) ties %lu multi %lu same tick %lu",
              inserts, popped, cancels, cancels_unqueued, ties, multi, same_tick_pops);
    cr_assert_gt(m.now, (uint64_t)UINT32_MAX + 1000, "the clock did not cross the wrap");

    /* Drain: far enough ahead, everything pops, in order. */
    m.now += 1001;
    while (m.n > 0) {
        struct timer_node *t = pop((uint32_t)m.now);
        cr_assert_eq(id_of(t), m.e[0].id, "drain: popped %d, expected %d", id_of(t), m.e[0].id);
        model_remove_at(0);
    }
    model_check(ops + 1);
    cr_assert_null(pop((uint32_t)m.now));
}

Test(timerq_model, across_the_wrap)
{
    run_model(0x74696D6571ul, NSLEEPERS, 0xFFFFFF00u, 200000);
}
Test(timerq_model, few_sleepers_across_the_wrap)
{
    run_model(0x5EEDul, 8, 0xFFFFF000u, 100000);
}
#endif /* LAB >= 4 */
