/* lockdep_graph_test.c -- host tests for kernel/sync/lockdep_graph.c (lock-order cycles). */
#if LAB >= 5
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include "sync/lockdep_graph.h"

static struct lockdep_graph g;
static int path[16], path_len;
static const uintptr_t stack_ab[] = { 0x1001, 0x1002, 0x1003 };
static const uintptr_t stack_ba[] = { 0x2001 };

static void setup(void)
{
    lockdep_graph_init(&g);
}

static enum lockdep_result add(int from, int to)
{
    return lockdep_graph_add(&g, from, to, stack_ba, 1, path, &path_len, 16);
}

TestSuite(lockdep_graph, .init = setup);

Test(lockdep_graph, classes_by_name)
{
    char copy[] = "frames";
    int a = lockdep_graph_class(&g, "frames");
    int b = lockdep_graph_class(&g, "heap");
    cr_assert_eq(a, 0);
    cr_assert_eq(b, 1);
    /* Same text at another address: the same class. */
    cr_assert_eq(lockdep_graph_class(&g, copy), a);
    cr_assert_str_eq(lockdep_graph_name(&g, b), "heap");
    cr_assert_str_eq(lockdep_graph_name(&g, 99), "?");
}

Test(lockdep_graph, class_table_full)
{
    static char names[LOCKDEP_MAX_CLASSES + 1][16];
    for (int i = 0; i < LOCKDEP_MAX_CLASSES; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        cr_assert_eq(lockdep_graph_class(&g, names[i]), i);
    }
    cr_assert_eq(lockdep_graph_class(&g, "one too many"), -1);
    cr_assert_eq(lockdep_graph_class(&g, "c7"), 7);
}

Test(lockdep_graph, ab_then_ba_is_a_cycle_once)
{
    int a = lockdep_graph_class(&g, "A"), b = lockdep_graph_class(&g, "B");
    cr_assert_eq(lockdep_graph_add(&g, a, b, stack_ab, 3, path, &path_len, 16), LOCKDEP_ADDED);
    cr_assert(lockdep_graph_has_edge(&g, a, b));
    cr_assert(!lockdep_graph_has_edge(&g, b, a));
    /* The same order again: nothing new. */
    cr_assert_eq(add(a, b), LOCKDEP_KNOWN);
    /* The opposite order: the cycle, with the earlier edge and its stack. */
    cr_assert_eq(add(b, a), LOCKDEP_CYCLE);
    cr_assert_eq(path_len, 1);
    const struct lockdep_edge *e = lockdep_graph_edge(&g, path[0]);
    cr_assert_not_null(e);
    cr_assert_eq(e->from, a);
    cr_assert_eq(e->to, b);
    cr_assert_eq(e->depth, 3);
    cr_assert_eq(e->stack[0], 0x1001);
    cr_assert_eq(e->stack[2], 0x1003);
    /* Reported once: the second time the edge is known. */
    cr_assert_eq(add(b, a), LOCKDEP_KNOWN);
}

Test(lockdep_graph, long_cycle_reports_the_path)
{
    int a = lockdep_graph_class(&g, "A"), b = lockdep_graph_class(&g, "B");
    int c = lockdep_graph_class(&g, "C"), d = lockdep_graph_class(&g, "D");
    cr_assert_eq(add(a, b), LOCKDEP_ADDED);
    cr_assert_eq(add(b, c), LOCKDEP_ADDED);
    cr_assert_eq(add(c, d), LOCKDEP_ADDED);
    cr_assert_eq(add(a, d), LOCKDEP_ADDED);     /* a shortcut, still no cycle */
    cr_assert_eq(add(d, b), LOCKDEP_CYCLE);     /* b -> c -> d -> b */
    cr_assert_eq(path_len, 2);
    const struct lockdep_edge *e0 = lockdep_graph_edge(&g, path[0]);
    const struct lockdep_edge *e1 = lockdep_graph_edge(&g, path[1]);
    cr_assert(e0->from == b && e0->to == c);
    cr_assert(e1->from == c && e1->to == d);
}

Test(lockdep_graph, no_false_cycles)
{
    /* A diamond and a chain: orders that agree are no cycle. */
    int n[6];
    const char *names[] = { "n0", "n1", "n2", "n3", "n4", "n5" };
    for (int i = 0; i < 6; i++)
        n[i] = lockdep_graph_class(&g, names[i]);
    cr_assert_eq(add(n[0], n[1]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[0], n[2]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[1], n[3]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[2], n[3]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[3], n[4]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[0], n[4]), LOCKDEP_ADDED);
    cr_assert_eq(add(n[5], n[0]), LOCKDEP_ADDED);
    cr_assert_eq(path_len, 0);
    cr_assert_eq(add(n[4], n[5]), LOCKDEP_CYCLE);   /* 5 -> 0 -> ... -> 4 */
    cr_assert_eq(path_len, 2);                       /* the shortest way back: 5 -> 0 -> 4 */
}

Test(lockdep_graph, same_class_is_not_an_edge)
{
    int a = lockdep_graph_class(&g, "A");
    cr_assert_eq(add(a, a), LOCKDEP_SAME_CLASS);
    cr_assert(!lockdep_graph_has_edge(&g, a, a));
    cr_assert_eq(add(a, 42), LOCKDEP_FULL);         /* not a class */
}

Test(lockdep_graph, edge_table_full)
{
    static char names[40][16];
    int c[40];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        c[i] = lockdep_graph_class(&g, names[i]);
    }
    /* 40 * 39 / 2 = 780 forward edges > LOCKDEP_MAX_EDGES: all acyclic. */
    int added = 0, full = 0;
    for (int i = 0; i < 40; i++)
        for (int j = i + 1; j < 40; j++) {
            enum lockdep_result r = add(c[i], c[j]);
            cr_assert(r == LOCKDEP_ADDED || r == LOCKDEP_FULL);
            added += r == LOCKDEP_ADDED;
            full += r == LOCKDEP_FULL;
        }
    cr_assert_eq(added, LOCKDEP_MAX_EDGES);
    cr_assert_eq(full, 780 - LOCKDEP_MAX_EDGES);
}
#endif /* LAB >= 5 */
