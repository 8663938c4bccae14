/*
 * ping.c -- send ICMP echo requests and report the replies.
 *
 *     ping [-c COUNT] [-W SECS] A.B.C.D
 *
 * Sends COUNT (default 4) echo requests (RFC 792, "Echo or Echo Reply
 * Message": type 8, code 0, identifier, sequence number, data), one a
 * second, each with 56 bytes of data, through a "ping socket"
 * (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), kernel/abi/socket.h): the
 * kernel chooses the identifier and fills in the checksum, and hands
 * back only the replies that carry its identifier. Each request waits up
 * to SECS (default 2) for its reply; a reply that comes later is still
 * counted, as Linux's ping does. For each reply one line:
 *
 *     64 bytes from 10.0.2.2: icmp_seq=1 ttl=255 time=3 ms
 *
 * "64 bytes" is the ICMP message (8-byte header + data). The TTL is
 * printed when the kernel hands back the IP header too (the first byte
 * is then 0x4N, version 4; an echo reply's ICMP type is 0, so the two
 * cannot be confused); a kernel that gives only the ICMP message gets
 * no "ttl=" field. Times are in timer ticks turned into milliseconds,
 * so they are as coarse as the tick (10 ms at 100 Hz). At the end:
 *
 *     --- 10.0.2.2 ping statistics ---
 *     4 packets transmitted, 4 received, 0% packet loss
 *
 * Exit status: 0 if at least one reply came, 1 if none, 2 on bad usage
 * or when no socket could be made.
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <tidepool.h>
#include <unistd.h>

#define ICMP_ECHO_REPLY   0     /* RFC 792 types */
#define ICMP_ECHO_REQUEST 8
#define ICMP_HEADER       8     /* type, code, checksum, identifier, sequence */
#define DATA_BYTES        56    /* as Linux's ping: 64-byte ICMP messages */
#define SEQ_WINDOW        64    /* replies this many requests late still count */

static struct sockaddr_in target;
static int sock;
static unsigned long sent_at[SEQ_WINDOW];   /* tick each request left, by seq */
static bool answered[SEQ_WINDOW];
static unsigned transmitted, received;

static unsigned long ms_to_ticks(unsigned long ms)
{
    return (ms * ticks_per_second() + 999) / 1000;
}

static unsigned long ticks_to_ms(unsigned long ticks)
{
    return ticks * 1000 / ticks_per_second();
}

/* RFC 792: the 16-bit ones' complement of the ones' complement sum of
 * the message. The kernel fills it in for a ping socket; it is computed
 * here as well so that the request is a valid message as sent. */
static uint16_t icmp_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void send_request(unsigned seq)
{
    uint8_t msg[ICMP_HEADER + DATA_BYTES] = { ICMP_ECHO_REQUEST, 0 };

    msg[6] = (uint8_t)(seq >> 8);            /* sequence number, network order */
    msg[7] = (uint8_t)seq;
    for (int i = 0; i < DATA_BYTES; i++)
        msg[ICMP_HEADER + i] = (uint8_t)(0x10 + i);
    uint16_t sum = icmp_checksum(msg, sizeof msg);
    msg[2] = (uint8_t)(sum >> 8);
    msg[3] = (uint8_t)sum;

    sent_at[seq % SEQ_WINDOW] = uptime();
    answered[seq % SEQ_WINDOW] = false;
    transmitted++;
    if (sendto(sock, msg, sizeof msg, 0, (struct sockaddr *)&target, sizeof target) < 0)
        printf("ping: sendto %s: %s\n", inet_ntoa(target.sin_addr), strerror(errno));
}

/* Reads one reply and prints its line; returns its sequence number, or
 * -1 if it was not an answer to an outstanding request. */
static int receive_reply(unsigned last_seq)
{
    uint8_t buf[1500];
    struct sockaddr_in from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(sock, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    int ttl = -1;
    size_t skip = 0;

    if (n < 0) {
        printf("ping: recvfrom: %s\n", strerror(errno));
        return -1;
    }
    if (n > 0 && buf[0] >> 4 == 4) {        /* an IPv4 header came too */
        skip = (size_t)(buf[0] & 0x0f) * 4;
        ttl = n > 8 ? buf[8] : -1;
    }
    if ((size_t)n < skip + ICMP_HEADER || buf[skip] != ICMP_ECHO_REPLY)
        return -1;
    unsigned seq = (unsigned)(buf[skip + 6] << 8 | buf[skip + 7]);
    if (seq == 0 || seq > last_seq || last_seq - seq >= SEQ_WINDOW || answered[seq % SEQ_WINDOW])
        return -1;                          /* unknown, too old, or a duplicate */
    answered[seq % SEQ_WINDOW] = true;
    received++;
    printf("%u bytes from %s: icmp_seq=%u", (unsigned)((size_t)n - skip),
           inet_ntoa(from.sin_addr), seq);
    if (ttl >= 0)
        printf(" ttl=%d", ttl);
    printf(" time=%lu ms\n", ticks_to_ms(uptime() - sent_at[seq % SEQ_WINDOW]));
    return (int)seq;
}

/* Handles replies until tick `until`, or until the reply to `want`
 * (0: none) arrives. Returns true if that reply came. */
static bool wait_replies(unsigned want, unsigned last_seq, unsigned long until)
{
    for (;;) {
        unsigned long now = uptime();
        if ((long)(until - now) <= 0)
            return false;
        struct pollfd p = { .fd = sock, .events = POLLIN };
        int r = poll(&p, 1, (int)ticks_to_ms(until - now) + 1);
        if (r < 0 && errno != EINTR) {
            printf("ping: poll: %s\n", strerror(errno));
            return false;
        }
        if (r > 0 && receive_reply(last_seq) == (int)want && want != 0)
            return true;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: ping [-c COUNT] [-W SECS] A.B.C.D\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned count = 4, wait_secs = 2;
    int opt;

    while ((opt = getopt(argc, argv, "c:W:")) != -1) {
        if (opt == 'c')
            count = (unsigned)atoi(optarg);
        else if (opt == 'W')
            wait_secs = (unsigned)atoi(optarg);
        else
            usage();
    }
    if (optind != argc - 1 || count == 0 || wait_secs == 0)
        usage();
    target.sin_family = AF_INET;
    if (!inet_aton(argv[optind], &target.sin_addr)) {
        fprintf(stderr, "ping: %s: not an address (a.b.c.d; there is no DNS)\n", argv[optind]);
        return 2;
    }
    sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (sock < 0) {
        fprintf(stderr, "ping: socket: %s\n", strerror(errno));
        return 2;
    }
    printf("PING %s: %d data bytes\n", argv[optind], DATA_BYTES);
    for (unsigned seq = 1; seq <= count; seq++) {
        send_request(seq);
        unsigned long start = sent_at[seq % SEQ_WINDOW];
        wait_replies(seq, seq, start + ms_to_ticks(wait_secs * 1000ul));
        if (seq < count)                    /* one request a second */
            wait_replies(0, seq, start + ms_to_ticks(1000));
    }
    printf("--- %s ping statistics ---\n", argv[optind]);
    printf("%u packets transmitted, %u received, %u%% packet loss\n", transmitted, received,
           (transmitted - received) * 100 / transmitted);
    return received > 0 ? 0 : 1;
}

#endif /* LAB >= 6 */
