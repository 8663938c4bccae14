/*
 * tpnet.h -- Tidepool's own network call: the netstat report.
 *
 * struct netstat_info is kernel/abi/netstat.h's.
 */
#ifndef USER_TPNET_H
#define USER_TPNET_H

#if LAB >= 6
#include <netstat.h>    /* kernel/abi */

/* Fill *ni (SYS_netstat). 0, or -1 and errno (ENOSYS before lab 6). */
int netstat_get(struct netstat_info *ni);

#endif /* LAB >= 6 */

#endif
