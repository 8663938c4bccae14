/*
 * tcp_int.h -- what the tcp_*.c files share and nobody else needs.
 */
#ifndef NET_TCP_INT_H
#define NET_TCP_INT_H

#if LAB >= 6
#include "net/tcp.h"
#include "net/tcp_seq.h"

#define TCP_HLEN      20
#define TCP_FIN       0x01
#define TCP_SYN       0x02
#define TCP_RST       0x04
#define TCP_PSH       0x08
#define TCP_ACK       0x10
#define TCP_URG       0x20

/* One parsed segment (tcp_segment.c). Ports and numbers in host order. */
struct tcp_seg {
    uint32_t src_ip, dst_ip;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    uint16_t mss;               /* from the MSS option, 0 if absent */
    const uint8_t *data;
    uint32_t len;               /* data bytes */
};

/* SEG.LEN of RFC 9293: data plus one for each of SYN and FIN. */
static inline uint32_t tcp_seg_seqlen(const struct tcp_seg *s)
{
    return s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
}

/* tcp_segment.c: parse (0, or -1 after counting the drop), build. */
int tcp_parse(struct tcp_seg *s, uint32_t src_ip, uint32_t dst_ip, const uint8_t *seg,
              size_t len);
/* The header of an outgoing segment; with_mss adds the MSS option (SYNs). */
size_t tcp_header_len(bool with_mss);
/* Write the header of *s at buf (its data already at buf + tcp_header_len)
 * and the checksum over the pseudo-header: returns the segment's length. */
size_t tcp_build(uint8_t *buf, const struct tcp_seg *s, bool with_mss);

/* tcp_ring.c: the byte rings of the send and receive buffers. */
void ring_reset(struct tcp_ring *r);
uint32_t ring_free(const struct tcp_ring *r);
uint32_t ring_write(struct tcp_ring *r, const uint8_t *src, uint32_t len);
void ring_peek(const struct tcp_ring *r, uint32_t off, uint8_t *dst, uint32_t len);
void ring_drop(struct tcp_ring *r, uint32_t len);

/* tcp_tcb.c: the pool and the stack's global state. */
struct tcb *tcb_alloc(void);
void tcb_free(struct tcb *t);
struct tcb *tcb_lookup(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport);
struct tcb *tcb_find_listener(uint32_t lip, uint16_t lport);
bool tcb_port_in_use(uint16_t port);
unsigned tcb_children(const struct tcb *listener);
uint32_t tcb_new_isn(uint32_t now_ms);
uint32_t tcb_next_ready_order(void);
uint16_t tcb_ephemeral_port(void);   /* 0: all taken */
void tcb_notify(struct tcb *t);
/* Enter CLOSED; free the TCB if the user gave it back already. */
void tcb_closed(struct tcb *t, int error);
void tcb_enter_time_wait(struct tcb *t, uint32_t now_ms);
struct tcb *tcb_slot(int i);

/* tcp_output.c */
void tcp_output(struct tcb *t, uint32_t now_ms);        /* what the window allows */
void tcp_send_ack(struct tcb *t, uint32_t now_ms);
void tcp_send_syn(struct tcb *t, uint32_t now_ms);      /* SYN or SYN-ACK */
void tcp_send_rst_for(const struct tcp_seg *s, uint32_t now_ms);  /* reply to s */
void tcp_send_rst(struct tcb *t, uint32_t now_ms);
uint16_t tcp_rcv_window(const struct tcb *t);
void tcp_send_probe(struct tcb *t, uint32_t now_ms);  /* zero-window probe */
void tcp_emit(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len, uint32_t now_ms);

/* tcp_timer.c */
/* Arm the retransmission timer unless it runs already. */
void tcp_rexmt_start(struct tcb *t, uint32_t now_ms);
/* New data acknowledged: back-off over, timer restarted if data remains. */
void tcp_rexmt_progress(struct tcb *t, uint32_t now_ms);
void tcp_rexmt_stop(struct tcb *t);
#endif /* LAB >= 6 */

#endif
