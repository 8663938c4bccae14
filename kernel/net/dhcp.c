/*
 * dhcp.c -- the DHCP client's messages and state machine (dhcp.h).
 * RFC 2131 (protocol), RFC 2132 (options).
 */
#if LAB >= 6
#include "net/dhcp.h"
#include "net/bytes.h"
#include "net/net.h"
#include "abi/errno.h"
#include <string.h>

#define BOOTREQUEST 1
#define BOOTREPLY   2
#define HTYPE_ETHER 1
#define FLAG_BROADCAST 0x8000       /* RFC 2131 4.1: we cannot take unicast yet */
#define MAGIC_COOKIE 0x63825363u    /* 99.130.83.99, RFC 2131 3 */

/* Option codes (RFC 2132). */
#define OPT_PAD        0
#define OPT_SUBNET     1
#define OPT_ROUTER     3
#define OPT_DNS        6
#define OPT_REQUESTED  50
#define OPT_LEASE      51
#define OPT_MSG_TYPE   53
#define OPT_SERVER_ID  54
#define OPT_PARAM_LIST 55
#define OPT_END        255

/* One option's value into m (the first address of a list). */
static void take_option(struct dhcp_msg *m, uint8_t code, const uint8_t *v, uint8_t len)
{
    if (code == OPT_MSG_TYPE && len >= 1)
        m->type = v[0];
    else if (len < 4)
        return;                     /* every other option we read is 4 bytes or more */
    else if (code == OPT_SUBNET)
        m->lease.netmask = get_be32(v);
    else if (code == OPT_ROUTER)
        m->lease.router = get_be32(v);
    else if (code == OPT_DNS)
        m->lease.dns = get_be32(v);
    else if (code == OPT_LEASE)
        m->lease.lease_s = get_be32(v);
    else if (code == OPT_SERVER_ID)
        m->lease.server = get_be32(v);
}

/* The options field (RFC 2132 2): code, length, value, until END; PAD is
 * one byte. A length that runs past the message makes it malformed. */
static int parse_options(const uint8_t *p, size_t len, struct dhcp_msg *m)
{
    size_t i = 0;
    while (i < len) {
        uint8_t code = p[i++];
        if (code == OPT_PAD)
            continue;
        if (code == OPT_END)
            return 0;
        if (i >= len || p[i] > len - i - 1)
            return -EINVAL;
        uint8_t olen = p[i++];
        take_option(m, code, p + i, olen);
        i += olen;
    }
    return 0;                       /* no END: tolerated, as most clients do */
}

int dhcp_parse(const uint8_t *msg, size_t len, struct dhcp_msg *m)
{
    memset(m, 0, sizeof *m);
    if (len < DHCP_FIXED_LEN + 4 || get_be32(msg + DHCP_FIXED_LEN) != MAGIC_COOKIE)
        return -EINVAL;
    if (msg[1] != HTYPE_ETHER || msg[2] != 6)
        return -EINVAL;
    m->op = msg[0];
    m->xid = get_be32(msg + 4);
    m->lease.ip = get_be32(msg + 16);           /* yiaddr */
    memcpy(m->chaddr, msg + 28, 6);
    return parse_options(msg + DHCP_FIXED_LEN + 4, len - DHCP_FIXED_LEN - 4, m);
}

static uint8_t *put_option(uint8_t *p, uint8_t code, const uint8_t *v, uint8_t len)
{
    *p++ = code;
    *p++ = len;
    memcpy(p, v, len);
    return p + len;
}

static uint8_t *put_option_ip(uint8_t *p, uint8_t code, uint32_t ip)
{
    uint8_t v[4];
    put_be32(v, ip);
    return put_option(p, code, v, 4);
}

size_t dhcp_build(uint8_t *out, size_t cap, uint8_t type, const uint8_t mac[6], uint32_t xid,
                  uint32_t requested, uint32_t server)
{
    if (cap < DHCP_MIN_LEN)
        return 0;
    memset(out, 0, DHCP_MIN_LEN);
    out[0] = BOOTREQUEST;
    out[1] = HTYPE_ETHER;
    out[2] = 6;                                 /* hlen: a MAC */
    put_be32(out + 4, xid);
    put_be16(out + 10, FLAG_BROADCAST);
    memcpy(out + 28, mac, 6);                   /* chaddr */
    put_be32(out + DHCP_FIXED_LEN, MAGIC_COOKIE);
    uint8_t *p = out + DHCP_FIXED_LEN + 4;
    p = put_option(p, OPT_MSG_TYPE, &type, 1);
    if (requested != 0)
        p = put_option_ip(p, OPT_REQUESTED, requested);
    if (server != 0)
        p = put_option_ip(p, OPT_SERVER_ID, server);
    static const uint8_t wanted[] = { OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_LEASE };
    p = put_option(p, OPT_PARAM_LIST, wanted, sizeof wanted);
    *p = OPT_END;
    return DHCP_MIN_LEN;                        /* padded with zeros (PAD) */
}

void dhcp_start(struct dhcp_client *c, const uint8_t mac[6], uint32_t xid, uint32_t now_ms)
{
    memset(c, 0, sizeof *c);
    memcpy(c->mac, mac, 6);
    c->xid = xid;
    c->state = DHCP_INIT;
    c->next_ms = now_ms;
    c->wait_ms = DHCP_RETRY_MS;
}

/* The message the current state sends (DISCOVER or REQUEST), and the
 * next retry after the current back-off, which then doubles. */
static size_t send_current(struct dhcp_client *c, uint32_t now_ms, uint8_t *out, size_t cap)
{
    c->tries++;
    c->next_ms = now_ms + c->wait_ms;
    if (c->wait_ms < DHCP_RETRY_MAX_MS)
        c->wait_ms *= 2;
    if (c->state == DHCP_REQUESTING)
        return dhcp_build(out, cap, DHCPREQUEST, c->mac, c->xid, c->offered_ip, c->server);
    return dhcp_build(out, cap, DHCPDISCOVER, c->mac, c->xid, 0, 0);
}

size_t dhcp_tick(struct dhcp_client *c, uint32_t now_ms, uint8_t *out, size_t cap)
{
    if (c->state == DHCP_BOUND || c->state == DHCP_FAILED || net_time_before(now_ms, c->next_ms))
        return 0;
    if (c->tries >= DHCP_MAX_TRIES) {
        c->state = DHCP_FAILED;
        return 0;
    }
    if (c->state == DHCP_INIT)
        c->state = DHCP_SELECTING;
    return send_current(c, now_ms, out, cap);
}

/* RFC 2131 4.4.1: an OFFER in SELECTING is answered with a REQUEST for
 * it; an ACK in REQUESTING binds; a NAK starts over. Anything else, or a
 * message for another transaction or client, is ignored. */
size_t dhcp_input(struct dhcp_client *c, const uint8_t *msg, size_t len, uint32_t now_ms,
                  uint8_t *out, size_t cap)
{
    struct dhcp_msg m;
    if (dhcp_parse(msg, len, &m) != 0 || m.op != BOOTREPLY || m.xid != c->xid ||
        memcmp(m.chaddr, c->mac, 6) != 0) {
        c->ignored++;
        return 0;
    }
    if (c->state == DHCP_SELECTING && m.type == DHCPOFFER && m.lease.ip != 0 &&
        m.lease.server != 0) {
        c->state = DHCP_REQUESTING;
        c->offered_ip = m.lease.ip;
        c->server = m.lease.server;
        c->wait_ms = DHCP_RETRY_MS;
        return send_current(c, now_ms, out, cap);
    }
    if (c->state == DHCP_REQUESTING && m.type == DHCPACK && m.lease.ip == c->offered_ip) {
        c->state = DHCP_BOUND;
        c->lease = m.lease;
        if (c->lease.server == 0)
            c->lease.server = c->server;
        return 0;
    }
    if (c->state == DHCP_REQUESTING && m.type == DHCPNAK) {
        c->state = DHCP_SELECTING;
        c->wait_ms = DHCP_RETRY_MS;
        return send_current(c, now_ms, out, cap);
    }
    c->ignored++;
    return 0;
}

const char *dhcp_state_name(enum dhcp_state s)
{
    static const char *const names[] = { "INIT", "SELECTING", "REQUESTING", "BOUND", "FAILED" };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
#endif /* LAB >= 6 */
