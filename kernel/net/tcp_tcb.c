/* tcp_tcb.c -- the pool of Transmission Control Blocks (RFC 9293 3.3.1)
 * and the stack's global state: the output callback, the ISN generator.
 *
 * A fixed pool, no allocator: the kernel's TCP memory is bounded by
 * TCP_MAX_TCB, and a SYN flood can fill the listen backlog but never the
 * heap. */
#if LAB >= 6
#include "net/tcp_int.h"
#include <string.h>

static struct tcb pool[TCP_MAX_TCB];
static tcp_output_fn output_fn;
static void *output_ctx;
static tcp_isn_fn isn_fn;
static uint32_t isn_counter;
static uint32_t ready_counter;
static uint16_t next_port;
struct tcp_stats tcp_stats;

/* RFC 9293 3.4.1 asks for an ISN that follows a 4-microsecond clock,
 * plus (RFC 6528) a secret hash of the connection's addresses so that
 * an off-path attacker cannot guess it. Without a random source here we
 * take the clock and a per-connection step; a kernel with one should
 * install a better function with tcp_set_isn_fn(). */
static uint32_t default_isn(uint32_t now_ms)
{
    isn_counter += 64000;
    return now_ms * 250u + isn_counter;
}

void tcp_init(tcp_output_fn output, void *ctx)
{
    memset(pool, 0, sizeof pool);
    memset(&tcp_stats, 0, sizeof tcp_stats);
    output_fn = output;
    output_ctx = ctx;
    isn_fn = default_isn;
    isn_counter = 0;
    ready_counter = 0;
    next_port = TCP_EPHEMERAL_MIN;
}

void tcp_set_isn_fn(tcp_isn_fn fn)
{
    isn_fn = fn ? fn : default_isn;
}

uint32_t tcb_new_isn(uint32_t now_ms)
{
    return isn_fn(now_ms);
}

void tcp_emit(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len, uint32_t now_ms)
{
    tcp_stats.segs_out++;
    if (output_fn)
        output_fn(output_ctx, src, dst, seg, len, now_ms);
}

/* Every slot taken: the TIME_WAIT block nearest its end that no user
 * holds any more, or NULL. A server that closes first (HTTP/1.0's
 * "Connection: close") leaves each connection in TIME_WAIT for 2*MSL,
 * so without this TCP_MAX_TCB connections in a row would refuse every
 * new one for a minute. Cutting TIME_WAIT short risks the hazards of
 * RFC 1337 (an old duplicate accepted by a new incarnation); hosts take
 * that risk under memory pressure rather than refuse service, and the
 * oldest block is the one whose duplicates are most likely gone. */
static struct tcb *tcb_reclaim_time_wait(void)
{
    struct tcb *oldest = NULL;
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *t = &pool[i];
        if (!t->in_use || t->state != TCP_TIME_WAIT || !t->user_released)
            continue;
        if (oldest == NULL || (int32_t)(t->timewait_due - oldest->timewait_due) < 0)
            oldest = t;
    }
    return oldest;
}

struct tcb *tcb_alloc(void)
{
    struct tcb *t = NULL;
    for (int i = 0; i < TCP_MAX_TCB && t == NULL; i++)
        if (!pool[i].in_use)
            t = &pool[i];
    if (t == NULL)
        t = tcb_reclaim_time_wait();
    if (t == NULL)
        return NULL;
    memset(t, 0, sizeof *t);
    t->in_use = true;
    t->state = TCP_CLOSED;
    t->rto = TCP_RTO_INITIAL_MS;
    t->snd_mss = TCP_DEFAULT_MSS;
    return t;
}

void tcb_free(struct tcb *t)
{
    t->in_use = false;
    t->state = TCP_CLOSED;
}

struct tcb *tcb_slot(int i)
{
    return (i >= 0 && i < TCP_MAX_TCB) ? &pool[i] : NULL;
}

const struct tcb *tcp_tcb_at(int i)
{
    return (i >= 0 && i < TCP_MAX_TCB && pool[i].in_use) ? &pool[i] : NULL;
}

/* A connection (not a listener) by its four-tuple. */
struct tcb *tcb_lookup(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *t = &pool[i];
        if (t->in_use && t->state != TCP_LISTEN && t->state != TCP_CLOSED &&
            t->local_port == lport && t->remote_port == rport && t->local_ip == lip &&
            t->remote_ip == rip)
            return t;
    }
    return NULL;
}

/* A listener on lport, bound to lip or to any address (0). */
struct tcb *tcb_find_listener(uint32_t lip, uint16_t lport)
{
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *t = &pool[i];
        if (t->in_use && t->state == TCP_LISTEN && t->local_port == lport &&
            (t->local_ip == 0 || t->local_ip == lip))
            return t;
    }
    return NULL;
}

bool tcb_port_in_use(uint16_t port)
{
    for (int i = 0; i < TCP_MAX_TCB; i++)
        if (pool[i].in_use && pool[i].local_port == port)
            return true;
    return false;
}

/* Children of a listener not yet accepted: the ones the backlog limits. */
unsigned tcb_children(const struct tcb *listener)
{
    unsigned n = 0;
    for (int i = 0; i < TCP_MAX_TCB; i++)
        if (pool[i].in_use && pool[i].parent == listener && !pool[i].accepted)
            n++;
    return n;
}

uint32_t tcb_next_ready_order(void)
{
    return ++ready_counter;
}

/* The next free port of the ephemeral range, round-robin so that a new
 * connection does not reuse the port of one still in TIME_WAIT at the peer. */
uint16_t tcb_ephemeral_port(void)
{
    for (int tries = 0; tries < 65536 - TCP_EPHEMERAL_MIN; tries++) {
        uint16_t port = next_port;
        next_port = next_port == 65535 ? TCP_EPHEMERAL_MIN : (uint16_t)(next_port + 1);
        if (!tcb_port_in_use(port))
            return port;
    }
    return 0;
}

void tcb_notify(struct tcb *t)
{
    if (t->notify)
        t->notify(t->notify_ctx, t);
}

void tcb_closed(struct tcb *t, int error)
{
    tcp_rexmt_stop(t);
    t->state = TCP_CLOSED;
    if (error && !t->error)
        t->error = error;
    /* A child nobody accepted yet has no user to hand it back: free it. */
    if (t->user_released || (t->parent && !t->accepted)) {
        tcb_free(t);
        return;
    }
    tcb_notify(t);
}

/* RFC 9293 3.6: wait 2*MSL so that old duplicates of this connection die
 * and a lost final ACK can be sent again when the peer repeats its FIN. */
void tcb_enter_time_wait(struct tcb *t, uint32_t now_ms)
{
    tcp_rexmt_stop(t);
    t->state = TCP_TIME_WAIT;
    t->timewait_due = now_ms + 2 * TCP_MSL_MS;
    tcb_notify(t);
}

void tcp_set_notify(struct tcb *t, tcp_notify_fn fn, void *ctx)
{
    t->notify = fn;
    t->notify_ctx = ctx;
}

const char *tcp_state_name(enum tcp_state s)
{
    static const char *const names[] = {
        [TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN", [TCP_SYN_SENT] = "SYN_SENT",
        [TCP_SYN_RECEIVED] = "SYN_RECEIVED", [TCP_ESTABLISHED] = "ESTABLISHED",
        [TCP_FIN_WAIT_1] = "FIN_WAIT_1", [TCP_FIN_WAIT_2] = "FIN_WAIT_2",
        [TCP_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_CLOSING] = "CLOSING",
        [TCP_LAST_ACK] = "LAST_ACK", [TCP_TIME_WAIT] = "TIME_WAIT",
    };
    if ((unsigned)s >= sizeof names / sizeof names[0])
        return "?";
    return names[s];
}
#endif /* LAB >= 6 */
