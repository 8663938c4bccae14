/* tcp_segment.c -- TCP header parsing and building (RFC 9293 3.1, 3.2).
 *
 * The parser trusts nothing: the length is the IP payload's real length,
 * the data offset is checked against it, options are walked with bounds
 * checks, and the checksum covers the pseudo-header (RFC 9293 3.1,
 * "Checksum"). Every rejected segment is counted by reason. */
#if LAB >= 6
#include "net/tcp_int.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/netstat.h"

#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2

static uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    uint32_t sum = csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)len);
    return csum_fold(csum_add(sum, seg, len));
}

/* Walk the options between the fixed header and the data (RFC 9293 3.2):
 * only MSS matters to us; anything else is skipped by its length byte.
 * 0, or -1 for an option that runs past the header. */
static int tcp_parse_options(struct tcp_seg *s, const uint8_t *opt, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t kind = opt[i];
        if (kind == TCP_OPT_EOL)
            break;
        if (kind == TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
            return -1;
        if (kind == TCP_OPT_MSS && opt[i + 1] == 4)
            s->mss = get_be16(opt + i + 2);
        i += opt[i + 1];
    }
    return 0;
}

int tcp_parse(struct tcp_seg *s, uint32_t src_ip, uint32_t dst_ip, const uint8_t *seg,
              size_t len)
{
    if (len < TCP_HLEN) {
        net_drop(NET_DROP_TRUNCATED);
        return -1;
    }
    /* The pseudo-header holds a 16-bit length: an IP payload cannot be
     * longer, but a caller's bug must not wrap it silently. */
    if (len > 0xffff) {
        net_drop(NET_DROP_BAD_LENGTH);
        return -1;
    }
    if (tcp_checksum(src_ip, dst_ip, seg, len) != 0) {
        net_drop(NET_DROP_BAD_CHECKSUM);
        return -1;
    }
    size_t hlen = (size_t)(seg[12] >> 4) * 4;
    if (hlen < TCP_HLEN || hlen > len) {
        net_drop(NET_DROP_BAD_LENGTH);
        return -1;
    }
    s->src_ip = src_ip;
    s->dst_ip = dst_ip;
    s->sport = get_be16(seg);
    s->dport = get_be16(seg + 2);
    s->seq = get_be32(seg + 4);
    s->ack = get_be32(seg + 8);
    s->flags = seg[13] & 0x3f;
    s->wnd = get_be16(seg + 14);
    s->mss = 0;
    if (tcp_parse_options(s, seg + TCP_HLEN, hlen - TCP_HLEN) < 0) {
        net_drop(NET_DROP_BAD_HEADER);
        return -1;
    }
    s->data = seg + hlen;
    s->len = (uint32_t)(len - hlen);
    return 0;
}

size_t tcp_header_len(bool with_mss)
{
    return TCP_HLEN + (with_mss ? 4 : 0);
}

size_t tcp_build(uint8_t *buf, const struct tcp_seg *s, bool with_mss)
{
    size_t hlen = tcp_header_len(with_mss);
    put_be16(buf, s->sport);
    put_be16(buf + 2, s->dport);
    put_be32(buf + 4, s->seq);
    put_be32(buf + 8, s->ack);
    buf[12] = (uint8_t)((hlen / 4) << 4);
    buf[13] = s->flags;
    put_be16(buf + 14, s->wnd);
    put_be16(buf + 16, 0);      /* checksum: computed below over a zero field */
    put_be16(buf + 18, 0);      /* urgent pointer: we never send urgent data */
    if (with_mss) {
        buf[20] = TCP_OPT_MSS;
        buf[21] = 4;
        put_be16(buf + 22, s->mss);
    }
    size_t len = hlen + s->len;
    put_be16(buf + 16, tcp_checksum(s->src_ip, s->dst_ip, buf, len));
    return len;
}
#endif /* LAB >= 6 */
