/* ipconfig.c -- parsing ip=a.b.c.d/nn[,gw] (ipconfig.h). */
#if LAB >= 6
#include "net/ipconfig.h"
#include "abi/errno.h"

/* A decimal number of 1-3 digits, at most max. */
static int parse_number(const char **s, uint32_t max, uint32_t *v)
{
    const char *p = *s;
    uint32_t n = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        n = n * 10 + (uint32_t)(*p++ - '0');
        digits++;
    }
    if (digits == 0 || digits > 3 || n > max)
        return -EINVAL;
    *s = p;
    *v = n;
    return 0;
}

int ipconfig_parse_addr(const char **s, uint32_t *addr)
{
    uint32_t a = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t part;
        if (i > 0 && *(*s)++ != '.')
            return -EINVAL;
        if (parse_number(s, 255, &part) != 0)
            return -EINVAL;
        a = a << 8 | part;
    }
    *addr = a;
    return 0;
}

int ipconfig_parse(const char *s, struct ipconfig *out)
{
    struct ipconfig c = { 0, 0xFFFFFF00u, 0 };
    if (s == 0 || ipconfig_parse_addr(&s, &c.ip) != 0 || c.ip == 0)
        return -EINVAL;
    if (*s == '/') {
        s++;
        uint32_t bits;
        if (parse_number(&s, 32, &bits) != 0 || bits == 0)
            return -EINVAL;
        c.netmask = bits == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> bits);
    }
    if (*s == ',') {
        s++;
        if (ipconfig_parse_addr(&s, &c.gateway) != 0)
            return -EINVAL;
    }
    if (*s != '\0')
        return -EINVAL;
    *out = c;
    return 0;
}
#endif /* LAB >= 6 */
