/*
 * lockdep_graph.h -- the lock-order graph of lockdep-lite (pure logic).
 *
 * Nodes are lock classes (a name: every lock called "frames" is one
 * class). An edge A -> B says "some thread took B while holding A". If
 * B -> ... -> A is already known, adding A -> B closes a cycle: two
 * threads following the two orders can deadlock (AB-BA), even if they
 * never happened to run at the same time. lockdep_graph_add() finds that
 * the first time the second order appears, before anything hangs.
 *
 * Each edge keeps the stack of the acquisition that first made it, so a
 * report can show where the earlier order came from. No hardware, no
 * locking: the kernel glue (lockdep.c) serializes the calls; the host
 * tests (kernel/tests/host/lockdep_graph_test.c) drive it directly.
 */
#ifndef SYNC_LOCKDEP_GRAPH_H
#define SYNC_LOCKDEP_GRAPH_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

#define LOCKDEP_MAX_CLASSES 128
#define LOCKDEP_MAX_EDGES   512
#define LOCKDEP_STACK       8       /* return addresses kept per edge */
#define LOCKDEP_ROW_WORDS   (LOCKDEP_MAX_CLASSES / 32)

struct lockdep_edge {
    uint16_t from, to;              /* class numbers: `to` taken holding `from` */
    uint8_t depth;                  /* valid entries of stack[] */
    uintptr_t stack[LOCKDEP_STACK]; /* where `to` was first taken so */
};

struct lockdep_graph {
    int nclasses;
    const char *names[LOCKDEP_MAX_CLASSES];
    uint32_t adjacent[LOCKDEP_MAX_CLASSES][LOCKDEP_ROW_WORDS];  /* bit to of row from */
    int nedges;
    struct lockdep_edge edges[LOCKDEP_MAX_EDGES];
};

enum lockdep_result {
    LOCKDEP_KNOWN,          /* the edge was there already */
    LOCKDEP_ADDED,          /* a new edge, no cycle */
    LOCKDEP_CYCLE,          /* a new edge that closes a cycle (added too,
                             * so the same order is reported only once) */
    LOCKDEP_SAME_CLASS,     /* from == to: two locks of one class nested;
                             * not an edge (see README: not checked) */
    LOCKDEP_FULL,           /* no room for the edge: checking stops */
};

void lockdep_graph_init(struct lockdep_graph *g);
/* The class called `name` (compared with strcmp; the graph keeps the
 * pointer, so `name` must live forever), added if new; -1 if full. */
int lockdep_graph_class(struct lockdep_graph *g, const char *name);
const char *lockdep_graph_name(const struct lockdep_graph *g, int cls);
bool lockdep_graph_has_edge(const struct lockdep_graph *g, int from, int to);
/* Record "to taken while from held", first seen with stack[0..depth).
 * On LOCKDEP_CYCLE, path[0..*path_len) are the indices (for
 * lockdep_graph_edge) of the known edges to -> ... -> from that the new
 * edge contradicts, at most path_max of them. */
enum lockdep_result lockdep_graph_add(struct lockdep_graph *g, int from, int to,
                                      const uintptr_t *stack, int depth,
                                      int *path, int *path_len, int path_max);
const struct lockdep_edge *lockdep_graph_edge(const struct lockdep_graph *g, int index);
#endif /* LAB >= 5 */

#endif
