/* trace.c -- formatting and keeping the calls made (trace.h). */
#include "trace.h"

#include <stdio.h>
#include <string.h>
#include <tidepool.h>

#include <syscall.h>    /* kernel/abi */

void trace_add(struct trace *t, const struct call *c, uint32_t index, int32_t result)
{
    struct trace_entry *e = &t->ring[t->count % TRACE_RING];
    e->call = *c;
    e->index = index;
    e->result = result;
    t->count++;
}

static int format_arg(char *buf, unsigned room, const struct call *c, int i)
{
    enum arg_kind k = (enum arg_kind)c->spec->args[i];
    if ((k == A_PATH || k == A_PATH_READ || k == A_PATH_EXEC) && c->path[i & 1][0] != '\0')
        return snprintf(buf, room, "\"%s\"", c->path[i & 1]);
    if (c->ptr_kind[i] < PTR_KINDS)
        return snprintf(buf, room, "%#x %s", (unsigned)c->a[i],
                        ptr_kind_name((enum ptr_kind)c->ptr_kind[i]));
    if (k == A_FD || k == A_PID || k == A_SIG || k == A_TID || k == A_WHENCE)
        return snprintf(buf, room, "%d", (int)c->a[i]);
    return snprintf(buf, room, "%#x", (unsigned)c->a[i]);
}

int trace_format(char *buf, unsigned room, const struct call *c, uint32_t index, int32_t result,
                 int with_result)
{
    unsigned n = (unsigned)snprintf(buf, room, "#%u %s", (unsigned)index, c->spec->name);
    if (c->spec->nr == CALL_NOSYS && n < room)
        n += (unsigned)snprintf(buf + n, room - n, "[%u]", (unsigned)c->nr);
    if (n < room)
        n += (unsigned)snprintf(buf + n, room - n, "(");
    for (int i = 0; i < 5 && c->spec->args[i] != A_NONE && n < room; i++) {
        if (i > 0)
            n += (unsigned)snprintf(buf + n, room - n, ", ");
        if (n < room)
            n += (unsigned)format_arg(buf + n, room - n, c, i);
    }
    if (n < room)
        n += (unsigned)snprintf(buf + n, room - n, ")");
    if (with_result && n < room)
        n += (unsigned)snprintf(buf + n, room - n, " = %d", (int)result);
    return (int)(n < room ? n : room - 1);
}

void trace_dump(const struct trace *t, int fd, const char *prefix)
{
    uint32_t first = t->count > TRACE_RING ? t->count - TRACE_RING : 0;
    for (uint32_t i = first; i < t->count; i++) {
        const struct trace_entry *e = &t->ring[i % TRACE_RING];
        char line[256];
        trace_format(line, sizeof line, &e->call, e->index, e->result, 1);
        dprintf(fd, "%s%s\n", prefix, line);
    }
}
