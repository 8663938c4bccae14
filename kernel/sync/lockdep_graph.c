/* lockdep_graph.c -- lock classes, order edges, cycle search (see lockdep_graph.h). */
#if LAB >= 5
#include "sync/lockdep_graph.h"
#include <stddef.h>
#include <string.h>

void lockdep_graph_init(struct lockdep_graph *g)
{
    memset(g, 0, sizeof *g);
}

int lockdep_graph_class(struct lockdep_graph *g, const char *name)
{
    for (int i = 0; i < g->nclasses; i++)
        if (g->names[i] == name || strcmp(g->names[i], name) == 0)
            return i;
    if (g->nclasses == LOCKDEP_MAX_CLASSES)
        return -1;
    g->names[g->nclasses] = name;
    return g->nclasses++;
}

const char *lockdep_graph_name(const struct lockdep_graph *g, int cls)
{
    return cls >= 0 && cls < g->nclasses ? g->names[cls] : "?";
}

static bool valid(const struct lockdep_graph *g, int cls)
{
    return cls >= 0 && cls < g->nclasses;
}

bool lockdep_graph_has_edge(const struct lockdep_graph *g, int from, int to)
{
    if (!valid(g, from) || !valid(g, to))
        return false;
    return g->adjacent[from][to / 32] >> (to % 32) & 1;
}

/* The index of edge from -> to in edges[], or -1. */
static int edge_index(const struct lockdep_graph *g, int from, int to)
{
    for (int i = 0; i < g->nedges; i++)
        if (g->edges[i].from == from && g->edges[i].to == to)
            return i;
    return -1;
}

/* Breadth-first search from `start` for `goal` over the edges. On
 * success, fills path[] with the edge indices start -> ... -> goal. */
static bool find_path(const struct lockdep_graph *g, int start, int goal,
                      int *path, int *path_len, int path_max)
{
    int queue[LOCKDEP_MAX_CLASSES], parent[LOCKDEP_MAX_CLASSES];
    bool seen[LOCKDEP_MAX_CLASSES] = { false };
    int head = 0, tail = 0;
    queue[tail++] = start;
    seen[start] = true;
    parent[start] = -1;
    while (head < tail) {
        int c = queue[head++];
        if (c == goal)
            break;
        for (int next = 0; next < g->nclasses; next++)
            if (!seen[next] && lockdep_graph_has_edge(g, c, next)) {
                seen[next] = true;
                parent[next] = c;
                queue[tail++] = next;
            }
    }
    if (!seen[goal])
        return false;
    /* Walk back from goal, then reverse into start-first order. */
    int n = 0, rev[LOCKDEP_MAX_CLASSES];
    for (int c = goal; parent[c] != -1; c = parent[c])
        rev[n++] = edge_index(g, parent[c], c);
    *path_len = n < path_max ? n : path_max;
    for (int i = 0; i < *path_len; i++)
        path[i] = rev[n - 1 - i];
    return true;
}

static void add_edge(struct lockdep_graph *g, int from, int to, const uintptr_t *stack,
                     int depth)
{
    struct lockdep_edge *e = &g->edges[g->nedges++];
    e->from = (uint16_t)from;
    e->to = (uint16_t)to;
    e->depth = (uint8_t)(depth < LOCKDEP_STACK ? depth : LOCKDEP_STACK);
    for (int i = 0; i < e->depth; i++)
        e->stack[i] = stack[i];
    g->adjacent[from][to / 32] |= 1u << (to % 32);
}

enum lockdep_result lockdep_graph_add(struct lockdep_graph *g, int from, int to,
                                      const uintptr_t *stack, int depth,
                                      int *path, int *path_len, int path_max)
{
    *path_len = 0;
    if (!valid(g, from) || !valid(g, to))
        return LOCKDEP_FULL;
    if (from == to)
        return LOCKDEP_SAME_CLASS;
    if (lockdep_graph_has_edge(g, from, to))
        return LOCKDEP_KNOWN;
    if (g->nedges == LOCKDEP_MAX_EDGES)
        return LOCKDEP_FULL;
    /* The new edge closes a cycle iff `from` is reachable from `to`. */
    bool cycle = find_path(g, to, from, path, path_len, path_max);
    add_edge(g, from, to, stack, depth);
    return cycle ? LOCKDEP_CYCLE : LOCKDEP_ADDED;
}

const struct lockdep_edge *lockdep_graph_edge(const struct lockdep_graph *g, int index)
{
    return index >= 0 && index < g->nedges ? &g->edges[index] : NULL;
}
#endif /* LAB >= 5 */
