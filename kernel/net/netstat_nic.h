/*
 * netstat_nic.h -- how SYS_netstat asks the NIC driver for its
 * statistics registers (82540EM manual 13.7: GPRC, GPTC, MPC, CRCERRS...).
 *
 * The driver defines net_nic_stats(); without one (no driver yet, or a
 * kernel without a NIC) a weak default in sys_netstat.c reports none.
 * Called holding net_lock.
 */
#ifndef NET_NETSTAT_NIC_H
#define NET_NETSTAT_NIC_H

#if LAB >= 6
struct netstat_counter;

/* Fill up to max counters (name, value); how many were filled. */
int net_nic_stats(struct netstat_counter *out, int max);
#endif /* LAB >= 6 */

#endif
