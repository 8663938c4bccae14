/*
 * arpa/inet.h -- dotted-quad addresses (the user libc).
 *
 * Numeric addresses only: there is no resolver (no gethostbyname).
 */
#ifndef USER_ARPA_INET_H
#define USER_ARPA_INET_H

#if LAB >= 6
#include <netinet/in.h>

/* "a.b.c.d" -> *addr (network order); 1 if valid, 0 if not. */
int inet_aton(const char *s, struct in_addr *addr);
/* "a.b.c.d" -> address in network order, or INADDR_NONE if invalid. */
in_addr_t inet_addr(const char *s);
/* address -> "a.b.c.d" in a static buffer (overwritten by the next call). */
char *inet_ntoa(struct in_addr addr);

#endif /* LAB >= 6 */

#endif
