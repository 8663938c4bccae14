/*
 * net_fuzz.c -- libFuzzer harness over the receive path, net_input(): any
 * bytes as an Ethernet frame into an interface set up as QEMU's slirp
 * guest (10.0.2.15, gateway 10.0.2.2, UDP echo on port 7, a ping callback).
 *
 * Besides what ASan and UBSan catch, the transmit callback is an oracle:
 * every frame the stack sends in answer must be well formed (size within
 * 60..1514, IPv4 header checksum, total length inside the frame, TTL 64,
 * UDP/ICMP checksums). Each input runs on a fresh interface (so a finding
 * replays alone): frame at t=1000, the ARP timers through give-up, the
 * frame again after the cache expired. The last byte's low bit says
 * whether the gateway's MAC is known first.
 *
 *   make fuzz-net FUZZ_SECONDS=60     (make test-fuzz-net: a few seconds)
 */
#include "fuzz.h"

#if LAB >= 6
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"

static const uint8_t guest_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
/* The gateway's ARP reply to us (RFC 826), to start with the MAC known. */
static const uint8_t gw_arp_reply[42] = {
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02,
    0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x0a, 0x00, 0x02, 0x0f,
};

static struct netif nif;

static void check_transport(const uint8_t *ip, uint16_t total)
{
    const uint8_t *seg = ip + IPV4_HLEN;
    uint16_t len = (uint16_t)(total - IPV4_HLEN);
    if (ip[9] == IP_PROTO_ICMP) {
        CHECK(inet_checksum(seg, len) == 0);
    } else if (ip[9] == IP_PROTO_UDP) {
        CHECK(len >= 8 && get_be16(seg + 4) == len);
        uint32_t sum = csum_pseudo(get_be32(ip + 12), get_be32(ip + 16), IP_PROTO_UDP, len);
        CHECK(csum_fold(csum_add(sum, seg, len)) == 0);
    }
}

/* The oracle: what we send is always well formed. */
static void check_tx(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    CHECK(len >= ETH_MIN_FRAME && len <= ETH_HLEN + ETH_MTU);
    CHECK(memcmp(frame + 6, guest_mac, ETH_ALEN) == 0);
    if (get_be16(frame + 12) != ETHERTYPE_IPV4)
        return;
    const uint8_t *ip = frame + ETH_HLEN;
    uint16_t total = get_be16(ip + 2);
    CHECK(ip[0] == 0x45 && ip[8] == IPV4_TTL);
    CHECK(inet_checksum(ip, IPV4_HLEN) == 0);
    CHECK(total >= IPV4_HLEN && ETH_HLEN + (size_t)total <= len);
    check_transport(ip, total);
}

static void udp_echo(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                     const uint8_t *data, size_t len, uint32_t now_ms)
{
    udp_send(ctx, dst_port, src_ip, src_port, data, len, now_ms);
}

static void echo_reply(void *ctx, uint32_t from, uint16_t id, uint16_t seq,
                       const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)ctx, (void)from, (void)id, (void)seq, (void)now_ms;
    fuzz_touch(data, len);      /* ASan reports it if the length is a lie */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    net_init(&nif, guest_mac, check_tx, NULL);
    net_set_addr(&nif, IP4(10, 0, 2, 15), IP4(255, 255, 255, 0), IP4(10, 0, 2, 2));
    udp_bind(&nif, 7, udp_echo, &nif);
    nif.on_echo_reply = echo_reply;
    if (size > 0 && (data[size - 1] & 1))
        net_input(&nif, gw_arp_reply, sizeof gw_arp_reply, 0);
    uint8_t *frame = fuzz_copy(data, size, 0);
    net_input(&nif, frame, size, 1000);
    for (uint32_t t = 1500; t <= 5000; t += 500)
        net_tick(&nif, t);
    net_input(&nif, frame, size, 1000 + ARP_ENTRY_TTL_MS + 1);
    free(frame);
    return 0;
}
#endif /* LAB >= 6 */
