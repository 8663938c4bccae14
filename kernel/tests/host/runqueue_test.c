/* runqueue_test.c -- host tests for kernel/proc/runqueue.c (the round-robin run queue). */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "proc/runqueue.h"

/* A stand-in for a thread: an id, and the node that links it into the
 * queue somewhere in the middle of the structure, as in the kernel. */
struct item {
    int id;
    struct list_node node;
    int after; /* something behind the node, so container_of matters */
};

#define NITEMS 64

static struct runqueue rq;
static struct item items[NITEMS];

static void setup(void)
{
    /* Garbage first: runqueue_init must not rely on zeroed storage. */
    memset(&rq, 0xA5, sizeof rq);
    runqueue_init(&rq);
    for (int i = 0; i < NITEMS; i++) {
        items[i].id = i;
        items[i].after = -i;
        list_init(&items[i].node); /* list.h: nodes are list_init()ed before first use */
    }
}

static struct item *item_of(struct list_node *n)
{
    return n == NULL ? NULL : list_entry(n, struct item, node);
}

static int id_of(struct list_node *n)
{
    return n == NULL ? -1 : item_of(n)->id;
}

static void push(int i)
{
    runqueue_push(&rq, &items[i].node);
}

/* The queue holds exactly ids[0..n-1], front first: walked both ways,
 * every link agrees, and the length matches. */
static void check_queue(const int *ids, size_t n)
{
    cr_assert_eq(runqueue_length(&rq), n, "length %zu, expected %zu", runqueue_length(&rq), n);
    cr_assert_eq(list_length(&rq.head), n, "the list has %zu nodes, expected %zu",
                 list_length(&rq.head), n);
    struct list_node *p = &rq.head;
    for (size_t i = 0; i < n; i++) {
        struct list_node *next = p->next;
        cr_assert_eq(next->prev, p, "position %zu: broken prev link", i);
        cr_assert_eq(id_of(next), ids[i], "position %zu: id %d, expected %d", i, id_of(next),
                     ids[i]);
        p = next;
    }
    cr_assert_eq(p->next, &rq.head, "the queue goes on after its last node");
    cr_assert_eq(rq.head.prev, p, "the head's prev is not the last node");
}

/* A broken queue may loop forever: fail instead of hanging the run.
 * Both suites use the longest timeout of the suites that run before them
 * (120 s), never a shorter one: the BoxFort in Criterion 2.4 keeps the
 * pending timeouts in a list sorted by deadline, and pushing one due
 * before a pending one drops the rest of the list -- those tests then
 * run with no timeout at all, and LeakSanitizer reports the lost
 * requests (calloc in libcriterion.so) when the runner exits. */
TestSuite(runqueue, .timeout = 120);
TestSuite(runqueue_model, .timeout = 120);

/* ---- unit tests ---------------------------------------------------------- */

Test(runqueue, empty)
{
    setup();
    cr_expect_eq(runqueue_length(&rq), 0);
    cr_expect_null(runqueue_pop(&rq));
    cr_expect_null(runqueue_pop(&rq), "a second pop of an empty queue");
    cr_expect_eq(runqueue_length(&rq), 0, "a pop of an empty queue changed the length");
    check_queue(NULL, 0);
}

Test(runqueue, single_push_pop)
{
    setup();
    push(7);
    cr_expect(list_linked(&items[7].node));
    check_queue((int[]){7}, 1);
    struct list_node *n = runqueue_pop(&rq);
    cr_assert_eq(n, &items[7].node);
    cr_expect_eq(item_of(n)->id, 7);
    cr_expect_eq(item_of(n)->after, -7);
    cr_expect(!list_linked(n), "a popped node is still linked");
    cr_expect_null(runqueue_pop(&rq));
    check_queue(NULL, 0);
}

Test(runqueue, fifo_order)
{
    setup();
    static const int order[] = {3, 1, 4, 15, 9, 2, 6, 5, 35, 8};
    const size_t n = sizeof order / sizeof order[0];
    for (size_t i = 0; i < n; i++) {
        push(order[i]);
        check_queue(order, i + 1);
    }
    for (size_t i = 0; i < n; i++) {
        struct list_node *node = runqueue_pop(&rq);
        cr_assert_eq(id_of(node), order[i], "pop %zu: got %d, expected %d (FIFO)", i, id_of(node),
                     order[i]);
        cr_expect(!list_linked(node));
        check_queue(order + i + 1, n - i - 1);
    }
    cr_expect_null(runqueue_pop(&rq));
}

/* Round robin: what is popped and pushed again goes behind the others. */
Test(runqueue, round_robin_rotation)
{
    setup();
    for (int i = 0; i < 4; i++)
        push(i);
    for (int round = 0; round < 12; round++) {
        struct list_node *n = runqueue_pop(&rq);
        cr_assert_eq(id_of(n), round % 4, "turn %d went to %d", round, id_of(n));
        cr_assert_eq(runqueue_length(&rq), 3);
        runqueue_push(&rq, n);
        cr_assert_eq(runqueue_length(&rq), 4);
    }
    check_queue((int[]){0, 1, 2, 3}, 4);
}

Test(runqueue, length_tracking)
{
    setup();
    for (int i = 0; i < NITEMS; i++) {
        push(i);
        cr_assert_eq(runqueue_length(&rq), (size_t)i + 1);
    }
    runqueue_remove(&rq, &items[10].node);
    cr_assert_eq(runqueue_length(&rq), NITEMS - 1);
    runqueue_remove(&rq, &items[0].node);
    cr_assert_eq(runqueue_length(&rq), NITEMS - 2);
    runqueue_remove(&rq, &items[NITEMS - 1].node);
    cr_assert_eq(runqueue_length(&rq), NITEMS - 3);
    for (size_t left = NITEMS - 3; left > 0; left--) {
        cr_assert_not_null(runqueue_pop(&rq));
        cr_assert_eq(runqueue_length(&rq), left - 1);
    }
    cr_assert_null(runqueue_pop(&rq));
    cr_assert_eq(runqueue_length(&rq), 0);
    check_queue(NULL, 0);
}

Test(runqueue, remove_front)
{
    setup();
    for (int i = 0; i < 5; i++)
        push(i);
    runqueue_remove(&rq, &items[0].node);
    cr_expect(!list_linked(&items[0].node), "a removed node is still linked");
    check_queue((int[]){1, 2, 3, 4}, 4);
    cr_expect_eq(id_of(runqueue_pop(&rq)), 1);
}

Test(runqueue, remove_middle)
{
    setup();
    for (int i = 0; i < 5; i++)
        push(i);
    runqueue_remove(&rq, &items[2].node);
    cr_expect(!list_linked(&items[2].node), "a removed node is still linked");
    check_queue((int[]){0, 1, 3, 4}, 4);
    runqueue_remove(&rq, &items[3].node);
    check_queue((int[]){0, 1, 4}, 3);
}

Test(runqueue, remove_back)
{
    setup();
    for (int i = 0; i < 5; i++)
        push(i);
    runqueue_remove(&rq, &items[4].node);
    cr_expect(!list_linked(&items[4].node), "a removed node is still linked");
    check_queue((int[]){0, 1, 2, 3}, 4);
    push(9); /* the back is still the back */
    check_queue((int[]){0, 1, 2, 3, 9}, 5);
}

Test(runqueue, remove_only_node)
{
    setup();
    push(5);
    runqueue_remove(&rq, &items[5].node);
    cr_expect(!list_linked(&items[5].node));
    check_queue(NULL, 0);
    cr_expect_null(runqueue_pop(&rq));
    cr_expect_eq(runqueue_length(&rq), 0);
}

Test(runqueue, remove_then_push_again)
{
    setup();
    for (int i = 0; i < 4; i++)
        push(i);
    runqueue_remove(&rq, &items[1].node);
    check_queue((int[]){0, 2, 3}, 3);
    push(1); /* back in, at the back */
    check_queue((int[]){0, 2, 3, 1}, 4);
    runqueue_remove(&rq, &items[0].node);
    push(0);
    check_queue((int[]){2, 3, 1, 0}, 4);
    static const int expect[] = {2, 3, 1, 0};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(id_of(runqueue_pop(&rq)), expect[i]);
    cr_expect_null(runqueue_pop(&rq));
    cr_expect_eq(runqueue_length(&rq), 0);
}

Test(runqueue, popped_node_can_be_pushed_again)
{
    setup();
    push(1);
    push(2);
    struct list_node *n = runqueue_pop(&rq);
    cr_assert_eq(id_of(n), 1);
    push(3);
    runqueue_push(&rq, n);
    check_queue((int[]){2, 3, 1}, 3);
}

/* Two queues share nothing: what happens on one leaves the other be. */
Test(runqueue, two_queues_are_independent)
{
    setup();
    struct runqueue other;
    runqueue_init(&other);
    push(0);
    runqueue_push(&other, &items[1].node);
    push(2);
    runqueue_push(&other, &items[3].node);
    cr_expect_eq(runqueue_length(&other), 2);
    check_queue((int[]){0, 2}, 2);
    runqueue_remove(&other, &items[1].node);
    check_queue((int[]){0, 2}, 2);
    cr_expect_eq(runqueue_length(&other), 1);
    cr_expect_eq(id_of(runqueue_pop(&other)), 3);
    cr_expect_null(runqueue_pop(&other));
    cr_expect_eq(runqueue_length(&other), 0);
    check_queue((int[]){0, 2}, 2);
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

/* The reference: the queued ids in FIFO order, front first, and which
 * ids are queued. */
static struct {
    int ids[NITEMS];
    size_t n;
    bool queued[NITEMS];
} m;

static void model_remove_at(size_t pos)
{
    m.queued[m.ids[pos]] = false;
    memmove(&m.ids[pos], &m.ids[pos + 1], (m.n - pos - 1) * sizeof m.ids[0]);
    m.n--;
}

static void model_check(unsigned long op)
{
    cr_assert_eq(runqueue_length(&rq), m.n, "op %lu: length %zu, model %zu", op,
                 runqueue_length(&rq), m.n);
    for (int i = 0; i < NITEMS; i++)
        cr_assert_eq(list_linked(&items[i].node), m.queued[i], "op %lu: item %d linked %d", op, i,
                     list_linked(&items[i].node));
    check_queue(m.ids, m.n);
}

static void run_model(uint64_t seed, size_t nitems, unsigned long ops)
{
    cr_assert_leq(nitems, NITEMS);
    rng_state = seed;
    memset(&m, 0, sizeof m);
    setup();
    model_check(0);

    unsigned long pushes = 0, pops = 0, empty_pops = 0, removes[3] = {0}, full = 0;
    for (unsigned long op = 1; op <= ops; op++) {
        /* Alternate phases, so the queue both fills up and runs empty. */
        bool filling = (op / 500) % 2 == 0;
        unsigned kind = (unsigned)below(100);
        unsigned p_push = filling ? 60 : 35, p_pop = filling ? 20 : 40;
        if (kind < p_push) {
            if (m.n == nitems) {
                full++;
                continue;
            }
            /* A random item that is not queued. */
            size_t k = below(nitems - m.n);
            int id = 0;
            for (;; id++)
                if (!m.queued[id] && k-- == 0)
                    break;
            push(id);
            m.ids[m.n++] = id;
            m.queued[id] = true;
            pushes++;
        } else if (kind < p_push + p_pop) {
            struct list_node *n = runqueue_pop(&rq);
            if (m.n == 0) {
                cr_assert_null(n, "op %lu: pop of an empty queue returned item %d", op, id_of(n));
                empty_pops++;
            } else {
                cr_assert_eq(id_of(n), m.ids[0], "op %lu: popped %d, expected %d", op, id_of(n),
                             m.ids[0]);
                cr_assert(!list_linked(n), "op %lu: popped item %d is still linked", op, m.ids[0]);
                model_remove_at(0);
                pops++;
            }
        } else {
            if (m.n == 0)
                continue;
            size_t pos = below(m.n);
            int id = m.ids[pos];
            runqueue_remove(&rq, &items[id].node);
            cr_assert(!list_linked(&items[id].node), "op %lu: removed item %d is still linked", op,
                      id);
            removes[pos == 0 ? 0 : pos == m.n - 1 ? 2 : 1]++;
            model_remove_at(pos);
        }
        model_check(op);
    }
    /* The sequence did what it was meant to: every case occurred. */
    cr_assert(pushes > ops / 4 && pops > ops / 10 && empty_pops > 0 && full > 0 && removes[0] > 0 &&
                  removes[1] > 0 && removes[2] > 0,
              "pushes %lu pops %lu empty pops %lu full %lu removes front %lu middle %lu back %lu",
              pushes, pops, empty_pops, full, removes[0], removes[1], removes[2]);

    /* Drain: what is left comes out in order. */
    while (m.n > 0) {
        struct list_node *n = runqueue_pop(&rq);
        cr_assert_eq(id_of(n), m.ids[0], "drain: popped %d, expected %d", id_of(n), m.ids[0]);
        model_remove_at(0);
        model_check(ops + 1);
    }
    cr_assert_null(runqueue_pop(&rq));
}

Test(runqueue_model, small)
{
    run_model(0x72756E71ul, 5, 50000);
}
Test(runqueue_model, large)
{
    run_model(0xD15EA5Eul, NITEMS, 200000);
}
#endif /* LAB >= 4 */
