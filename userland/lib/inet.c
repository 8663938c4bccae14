/*
 * inet.c -- dotted-quad addresses (arpa/inet.h). Numeric only: "a.b.c.d",
 * four decimal numbers 0..255 (no hex, octal or shortened forms: the
 * strict subset every tool agrees on).
 */
#if LAB >= 6
#include <arpa/inet.h>
#include <stdio.h>

/* One decimal byte at *s; advances *s. -1 if there is none or > 255. */
static int parse_byte(const char **s)
{
    const char *p = *s;
    int v = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 3 || v > 255)
        return -1;
    *s = p;
    return v;
}

int inet_aton(const char *s, struct in_addr *addr)
{
    uint32_t host = 0;
    for (int i = 0; i < 4; i++) {
        if (i > 0 && *s++ != '.')
            return 0;
        int b = parse_byte(&s);
        if (b < 0)
            return 0;
        host = (host << 8) | (uint32_t)b;
    }
    if (*s != '\0')
        return 0;
    addr->s_addr = htonl(host);
    return 1;
}

in_addr_t inet_addr(const char *s)
{
    struct in_addr a;
    return inet_aton(s, &a) ? a.s_addr : htonl(INADDR_NONE);
}

char *inet_ntoa(struct in_addr addr)
{
    static char text[16];
    uint32_t h = ntohl(addr.s_addr);
    snprintf(text, sizeof text, "%u.%u.%u.%u", (unsigned)(h >> 24), (unsigned)(h >> 16) & 255,
             (unsigned)(h >> 8) & 255, (unsigned)h & 255);
    return text;
}
#endif /* LAB >= 6 */
