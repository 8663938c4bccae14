/*
 * dhcp.h -- a DHCP client (RFC 2131) as a pure state machine.
 *
 * It builds and parses messages and decides what to send when; it does
 * not send, receive or keep time itself. The caller broadcasts what
 * dhcp_tick() and dhcp_input() put into `out` (UDP 68 -> 255.255.255.255:67)
 * and feeds it every datagram that arrives on port 68:
 *
 *   INIT --DISCOVER--> SELECTING --OFFER/REQUEST--> REQUESTING --ACK--> BOUND
 *                           ^                           |
 *                           +----------- NAK -----------+
 *
 * Each message is sent again after DHCP_RETRY_MS, doubling (RFC 2131 4.1
 * asks for exponential back-off), DHCP_MAX_TRIES times in all; then the
 * client gives up (FAILED). No renewal: leases outlive our boots.
 */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LEN   236     /* op .. file, before the magic cookie (RFC 2131 2) */
#define DHCP_MIN_LEN     300     /* BOOTP's minimum message (RFC 1542 2.1) */
#define DHCP_MSG_MAX     576     /* what we build fits in this */
#define DHCP_RETRY_MS    1000
#define DHCP_RETRY_MAX_MS 4000
#define DHCP_MAX_TRIES   6

/* Message types, option 53 (RFC 2132 9.6). */
enum { DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPDECLINE = 4, DHCPACK = 5,
       DHCPNAK = 6 };

enum dhcp_state { DHCP_INIT, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_FAILED };

/* What a server told us (0: option absent). */
struct dhcp_lease {
    uint32_t ip;            /* yiaddr */
    uint32_t netmask;       /* option 1 */
    uint32_t router;        /* option 3, the first one */
    uint32_t dns;           /* option 6, the first one */
    uint32_t lease_s;       /* option 51 */
    uint32_t server;        /* option 54, the server identifier */
};

/* One parsed message. */
struct dhcp_msg {
    uint8_t op;             /* 2: BOOTREPLY */
    uint8_t type;           /* option 53; 0 if absent */
    uint32_t xid;
    uint8_t chaddr[6];
    struct dhcp_lease lease;
};

struct dhcp_client {
    enum dhcp_state state;
    uint8_t mac[6];
    uint32_t xid;
    uint32_t next_ms;       /* when to send again */
    uint32_t wait_ms;       /* the current back-off */
    int tries;              /* messages sent in all */
    uint32_t offered_ip, server;    /* from the OFFER we answered */
    struct dhcp_lease lease;        /* valid in BOUND */
    uint32_t ignored;       /* datagrams that were not for us, or malformed */
};

/* Parse a BOOTP/DHCP message; 0, or -EINVAL if it is malformed (short,
 * bad cookie, an option running past the end). Never reads past len. */
int dhcp_parse(const uint8_t *msg, size_t len, struct dhcp_msg *m);
/* Build a client message of `type` (DISCOVER, or REQUEST for `requested`
 * from `server`, either 0 to leave the option out) in out; its length, or
 * 0 if cap is too small. */
size_t dhcp_build(uint8_t *out, size_t cap, uint8_t type, const uint8_t mac[6], uint32_t xid,
                  uint32_t requested, uint32_t server);

/* Start over in INIT; the first DISCOVER goes out on the next dhcp_tick. */
void dhcp_start(struct dhcp_client *c, const uint8_t mac[6], uint32_t xid, uint32_t now_ms);
/* Time passes: a message to broadcast (its length), or 0. */
size_t dhcp_tick(struct dhcp_client *c, uint32_t now_ms, uint8_t *out, size_t cap);
/* A datagram from a server: a message to broadcast in reply, or 0. */
size_t dhcp_input(struct dhcp_client *c, const uint8_t *msg, size_t len, uint32_t now_ms,
                  uint8_t *out, size_t cap);
const char *dhcp_state_name(enum dhcp_state s);
#endif /* LAB >= 6 */

#endif
