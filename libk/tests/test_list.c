/*
 * test_list.c -- the intrusive list of list.h.
 */
#include <criterion/criterion.h>

#include "libk_test.h"

struct item {
    int value;
    struct list_node node;
};

static void make_items(struct item *items, int n)
{
    for (int i = 0; i < n; i++) {
        items[i].value = i;
        list_init(&items[i].node);
    }
}

/* The values along the list, front to back, and back to front. */
static void expect_values(struct list_node *head, const int *want, int n)
{
    struct list_node *pos;
    int i = 0;

    list_for_each(pos, head)
    {
        cr_assert_lt(i, n, "list longer than %d", n);
        cr_assert_eq(list_entry(pos, struct item, node)->value, want[i], "position %d", i);
        i++;
    }
    cr_assert_eq(i, n);
    /* The prev links must mirror the next links. */
    for (pos = head->prev; pos != head; pos = pos->prev)
        cr_assert_eq(list_entry(pos, struct item, node)->value, want[--i]);
    cr_assert_eq(list_length(head), (size_t)n);
}

Test(list, empty_list)
{
    struct list_node head = LIST_INIT(head);

    cr_assert(list_empty(&head));
    cr_assert_null(list_front(&head));
    cr_assert_null(list_back(&head));
    cr_assert_null(list_pop_front(&head));
    cr_assert_null(list_pop_back(&head));
    cr_assert_eq(list_length(&head), 0);
}

Test(list, push_back_and_front_order)
{
    struct list_node head;
    struct item it[4];

    list_init(&head);
    make_items(it, 4);
    list_push_back(&head, &it[1].node);
    list_push_back(&head, &it[2].node);
    list_push_front(&head, &it[0].node);
    list_push_back(&head, &it[3].node);
    expect_values(&head, (int[]){0, 1, 2, 3}, 4);
    cr_assert_not(list_empty(&head));
    cr_assert_eq(list_front(&head), &it[0].node);
    cr_assert_eq(list_back(&head), &it[3].node);
}

Test(list, pop_front_is_fifo_pop_back_is_lifo)
{
    struct list_node head = LIST_INIT(head);
    struct item it[3];

    make_items(it, 3);
    for (int i = 0; i < 3; i++)
        list_push_back(&head, &it[i].node);
    cr_assert_eq(list_pop_front(&head), &it[0].node);
    cr_assert_eq(list_pop_back(&head), &it[2].node);
    cr_assert_eq(list_pop_front(&head), &it[1].node);
    cr_assert(list_empty(&head));
    cr_assert_null(list_pop_front(&head));
}

Test(list, remove_middle_first_last)
{
    struct list_node head = LIST_INIT(head);
    struct item it[5];

    make_items(it, 5);
    for (int i = 0; i < 5; i++)
        list_push_back(&head, &it[i].node);
    list_remove(&it[2].node);
    expect_values(&head, (int[]){0, 1, 3, 4}, 4);
    list_remove(&it[0].node);
    list_remove(&it[4].node);
    expect_values(&head, (int[]){1, 3}, 2);
}

Test(list, removed_node_is_unlinked)
{
    struct list_node head = LIST_INIT(head);
    struct item it[2];

    make_items(it, 2);
    cr_assert_not(list_linked(&it[0].node));
    list_push_back(&head, &it[0].node);
    list_push_back(&head, &it[1].node);
    cr_assert(list_linked(&it[0].node));
    list_remove(&it[0].node);
    cr_assert_not(list_linked(&it[0].node));
    cr_assert_eq(it[0].node.next, &it[0].node);
    /* Moving a removed node to another list works. */
    struct list_node other = LIST_INIT(other);
    list_push_front(&other, &it[0].node);
    expect_values(&other, (int[]){0}, 1);
    expect_values(&head, (int[]){1}, 1);
}

Test(list, insert_after_and_before)
{
    struct list_node head = LIST_INIT(head);
    struct item it[4];

    make_items(it, 4);
    list_push_back(&head, &it[0].node);
    list_push_back(&head, &it[3].node);
    list_insert_after(&it[0].node, &it[1].node);
    list_insert_before(&it[3].node, &it[2].node);
    expect_values(&head, (int[]){0, 1, 2, 3}, 4);
}

Test(list, for_each_safe_allows_removal)
{
    struct list_node head = LIST_INIT(head);
    struct list_node *pos, *tmp;
    struct item it[6];

    make_items(it, 6);
    for (int i = 0; i < 6; i++)
        list_push_back(&head, &it[i].node);
    list_for_each_safe(pos, tmp, &head)
    {
        if (list_entry(pos, struct item, node)->value % 2 == 0)
            list_remove(pos);
    }
    expect_values(&head, (int[]){1, 3, 5}, 3);
}

Test(list, for_each_entry_visits_objects)
{
    struct list_node head = LIST_INIT(head);
    struct item it[4], *pos;
    int sum = 0, count = 0;

    make_items(it, 4);
    for (int i = 0; i < 4; i++)
        list_push_front(&head, &it[i].node);
    list_for_each_entry(pos, &head, node)
    {
        sum = sum * 10 + pos->value;
        count++;
    }
    cr_assert_eq(count, 4);
    cr_assert_eq(sum, 3210); /* pushed to the front: reversed */
}

/* container_of must work for a member that is not the first one. */
Test(list, container_of_with_offset)
{
    struct outer {
        char pad[13];
        struct list_node a;
        long x;
        struct list_node b;
    } o;

    cr_assert_eq(container_of(&o.a, struct outer, a), &o);
    cr_assert_eq(container_of(&o.b, struct outer, b), &o);
}
