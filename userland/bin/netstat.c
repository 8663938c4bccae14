/*
 * netstat.c -- the network's state and counters, from SYS_netstat
 * (kernel/abi/netstat.h, one snapshot taken under the kernel's net_lock).
 *
 *     netstat
 *
 * Sections, in order: the interface (address, gateway, MAC); frame
 * counts; every drop counter by reason, zeros included, one
 * "  reason  count" line each, so that a test or a student can see
 * which check threw a malformed packet away; TCP's, UDP's and ping's
 * counters; the NIC's statistics registers (82540EM 13.7) if there is a
 * NIC; then the socket table, one line per socket, as BSD netstat
 * prints it. The names come from the kernel, so a new drop reason needs
 * no change here. Exit status 1 if the kernel has no SYS_netstat.
 */
#if LAB >= 6
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tpnet.h>

static struct netstat_info ni;

/* A host-order address as "a.b.c.d" (up to 4 static buffers: several
 * go into one printf). */
static const char *dotted(uint32_t a)
{
    static char bufs[4][16];
    static int next;
    char *b = bufs[next++ % 4];

    snprintf(b, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
    return b;
}

static int prefix_length(uint32_t mask)
{
    int n = 0;

    while (n < 32 && (mask & (0x80000000u >> n)))
        n++;
    return n;
}

static void print_interface(void)
{
    if (!ni.has_iface) {
        printf("interface: none\n");
        return;
    }
    printf("interface: %s", ni.has_nic ? "e1000" : "loopback only");
    if (ni.has_nic)
        printf(" mac %02x:%02x:%02x:%02x:%02x:%02x", ni.mac[0], ni.mac[1], ni.mac[2],
               ni.mac[3], ni.mac[4], ni.mac[5]);
    if (ni.configured)
        printf(" inet %s/%d gateway %s\n", dotted(ni.ip), prefix_length(ni.netmask),
               dotted(ni.gateway));
    else
        printf(" (no address)\n");
    printf("frames: rx %u tx %u delivered %u loopback %u\n", ni.rx_frames, ni.tx_frames,
           ni.rx_delivered, ni.loopback_frames);
}

static void print_counters(void)
{
    uint32_t n = ni.ndrops < NETSTAT_DROPS_MAX ? ni.ndrops : NETSTAT_DROPS_MAX;

    printf("drops by reason:\n");
    for (uint32_t i = 0; i < n; i++)
        printf("  %-24.*s %u\n", NETSTAT_NAME_LEN, ni.drop_names[i], ni.drops[i]);
    printf("tcp: segs_in %u segs_out %u retransmits %u resets_sent %u out_of_order %u "
           "backlog_full %u timeouts %u tcbs_in_use %u\n", ni.tcp_segs_in, ni.tcp_segs_out,
           ni.tcp_retransmits, ni.tcp_resets_sent, ni.tcp_out_of_order, ni.tcp_backlog_full,
           ni.tcp_timeouts, ni.tcp_tcbs_in_use);
    printf("udp: in %u out %u queue_full %u\n", ni.udp_in, ni.udp_out, ni.udp_queue_full);
    printf("icmp: echo_out %u echo_in %u\n", ni.icmp_echo_out, ni.icmp_echo_in);
    n = ni.nnic < NETSTAT_NIC_MAX ? ni.nnic : NETSTAT_NIC_MAX;
    if (n > 0)
        printf("nic statistics:\n");
    for (uint32_t i = 0; i < n; i++)
        printf("  %-24.*s %u\n", NETSTAT_NAME_LEN, ni.nic[i].name, ni.nic[i].value);
}

static const char *proto_name(uint32_t proto)
{
    return proto == NETSTAT_PROTO_TCP ? "tcp" : proto == NETSTAT_PROTO_UDP ? "udp"
         : proto == NETSTAT_PROTO_ICMP ? "icmp" : "?";
}

/* "a.b.c.d:port", or "*" parts for "any" (0). */
static const char *endpoint(uint32_t ip, uint32_t port, char *buf, size_t size)
{
    if (port == 0)
        snprintf(buf, size, "%s:*", ip ? dotted(ip) : "*");
    else
        snprintf(buf, size, "%s:%u", ip ? dotted(ip) : "*", port);
    return buf;
}

static void print_sockets(void)
{
    uint32_t n = ni.nsockets < NETSTAT_SOCKETS_MAX ? ni.nsockets : NETSTAT_SOCKETS_MAX;

    printf("sockets:\n%-5s %6s %6s  %-21s %-21s %s\n", "Proto", "Recv-Q", "Send-Q",
           "Local Address", "Foreign Address", "State");
    for (uint32_t i = 0; i < n; i++) {
        const struct netstat_socket *s = &ni.sockets[i];
        char local[24], remote[24];

        printf("%-5s %6u %6u  %-21s %-21s %.*s\n", proto_name(s->proto), s->rx_queued,
               s->tx_queued, endpoint(s->local_ip, s->local_port, local, sizeof local),
               endpoint(s->remote_ip, s->remote_port, remote, sizeof remote),
               NETSTAT_NAME_LEN, s->state);
    }
}

int main(void)
{
    if (netstat_get(&ni) < 0) {
        fprintf(stderr, "netstat: %s\n", strerror(errno));
        return 1;
    }
    if (ni.version != NETSTAT_VERSION)
        fprintf(stderr, "netstat: kernel reports version %u, this program knows %u\n",
                ni.version, NETSTAT_VERSION);
    print_interface();
    print_counters();
    print_sockets();
    return 0;
}

#endif /* LAB >= 6 */
