/*
 * test_ringbuf.c -- ringbuf.h: FIFO order, full and empty, wraparound
 * of the storage index and of the counters themselves.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "prng.h"
#include "libk_test.h"

#define CAP 8

static uint8_t storage[CAP];
static struct ringbuf rb;

static void setup(void)
{
    ringbuf_init(&rb, storage, CAP);
}

TestSuite(ringbuf, .init = setup);

Test(ringbuf, starts_empty)
{
    uint8_t byte = 0xaa;

    cr_assert_eq(ringbuf_capacity(&rb), CAP);
    cr_assert_eq(ringbuf_count(&rb), 0);
    cr_assert_eq(ringbuf_space(&rb), CAP);
    cr_assert_not(ringbuf_pop(&rb, &byte));
    cr_assert_eq(byte, 0xaa); /* untouched */
}

Test(ringbuf, fifo_order)
{
    uint8_t byte;

    for (uint8_t i = 1; i <= 5; i++)
        cr_assert(ringbuf_push(&rb, i));
    cr_assert_eq(ringbuf_count(&rb), 5);
    cr_assert_eq(ringbuf_space(&rb), CAP - 5);
    for (uint8_t i = 1; i <= 5; i++) {
        cr_assert(ringbuf_pop(&rb, &byte));
        cr_assert_eq(byte, i);
    }
    cr_assert_not(ringbuf_pop(&rb, &byte));
}

Test(ringbuf, full_refuses_and_keeps_unread_data)
{
    uint8_t byte;

    for (int i = 0; i < CAP; i++)
        cr_assert(ringbuf_push(&rb, (uint8_t)(10 + i)));
    cr_assert_eq(ringbuf_space(&rb), 0);
    cr_assert_not(ringbuf_push(&rb, 99));
    cr_assert_not(ringbuf_push(&rb, 98));
    cr_assert_eq(ringbuf_count(&rb), CAP);
    for (int i = 0; i < CAP; i++) {
        cr_assert(ringbuf_pop(&rb, &byte));
        cr_assert_eq(byte, 10 + i); /* nothing overwritten */
    }
    cr_assert_not(ringbuf_pop(&rb, &byte));
    /* Room again after popping. */
    cr_assert(ringbuf_push(&rb, 7));
}

Test(ringbuf, wraps_around_the_storage)
{
    uint8_t byte;
    uint8_t next_in = 0, next_out = 0;

    /* Keep it between 3 and 7 full while pushing 1000 bytes through. */
    for (int i = 0; i < 3; i++)
        cr_assert(ringbuf_push(&rb, next_in++));
    for (int round = 0; round < 1000; round++) {
        for (int k = 0; k < 4; k++)
            cr_assert(ringbuf_push(&rb, next_in++));
        for (int k = 0; k < 4; k++) {
            cr_assert(ringbuf_pop(&rb, &byte));
            cr_assert_eq(byte, next_out++);
        }
        cr_assert_eq(ringbuf_count(&rb), 3);
    }
}

/* The free-running counters overflow after SIZE_MAX bytes; start them
 * just below that to check count/full/empty across the overflow. */
Test(ringbuf, counters_wrap_around)
{
    uint8_t byte;

    rb.head = rb.tail = SIZE_MAX - 3;
    for (int i = 0; i < CAP; i++)
        cr_assert(ringbuf_push(&rb, (uint8_t)i));
    cr_assert_lt(rb.head, rb.tail); /* head has wrapped */
    cr_assert_eq(ringbuf_count(&rb), CAP);
    cr_assert_not(ringbuf_push(&rb, 0xff));
    for (int i = 0; i < CAP; i++) {
        cr_assert(ringbuf_pop(&rb, &byte));
        cr_assert_eq(byte, i);
    }
    cr_assert_eq(ringbuf_count(&rb), 0);
    cr_assert_not(ringbuf_pop(&rb, &byte));
}

Test(ringbuf, capacity_one)
{
    uint8_t one[1], byte;
    struct ringbuf r1;

    ringbuf_init(&r1, one, 1);
    cr_assert(ringbuf_push(&r1, 5));
    cr_assert_not(ringbuf_push(&r1, 6));
    cr_assert(ringbuf_pop(&r1, &byte));
    cr_assert_eq(byte, 5);
    cr_assert_not(ringbuf_pop(&r1, &byte));
}

static void init_with(void *arg)
{
    static uint8_t s[12];
    struct ringbuf r;

    ringbuf_init(&r, s, *(size_t *)arg);
}

Test(ringbuf, capacity_must_be_power_of_two)
{
    size_t bad[] = {0, 3, 6, 12};
    size_t good = 4;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(assert_fails(init_with, &bad[i]), "capacity %zu", bad[i]);
    cr_assert_not(assert_fails(init_with, &good));
}

/* Random pushes and pops against a simple array queue. */
Test(ringbuf, random_operations_match_model)
{
    struct prng r = {99};
    uint8_t model[CAP];
    size_t model_head = 0, model_len = 0;
    uint8_t byte;

    for (int iter = 0; iter < 20000; iter++) {
        if (prng_below(&r, 2)) {
            uint8_t v = (uint8_t)prng_next(&r);
            bool ok = ringbuf_push(&rb, v);

            cr_assert_eq(ok, model_len < CAP);
            if (ok)
                model[(model_head + model_len++) % CAP] = v;
        } else {
            bool ok = ringbuf_pop(&rb, &byte);

            cr_assert_eq(ok, model_len > 0);
            if (ok) {
                cr_assert_eq(byte, model[model_head]);
                model_head = (model_head + 1) % CAP;
                model_len--;
            }
        }
        cr_assert_eq(ringbuf_count(&rb), model_len);
        cr_assert_eq(ringbuf_space(&rb), CAP - model_len);
    }
}
