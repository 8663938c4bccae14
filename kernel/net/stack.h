/*
 * stack.h -- the kernel's glue around the pure network stack (net.h).
 *
 * net.h's code is pure: no locks, no time, no hardware. This file is what
 * the kernel adds: the one interface, the lock that serializes every call
 * into the stack, the clock it reads, and the thread (netd) that feeds it.
 *
 *   - net_lock guards the netif (ARP table, UDP table), TCP and sockets.
 *     Lock order: ... uvm -> net_lock -> frameref -> ... . Never copyin/
 *     copyout or take tty/proc/fs locks while holding it: copy through a
 *     kernel buffer. Sleep on a condition it protects with
 *     waitqueue_sleep_on(wq, &net_lock).
 *   - The netd kernel thread drains the NIC's receive ring (woken by the
 *     interrupt, or polling when there is none), calls net_input() under
 *     net_lock, and every NET_TICK_MS calls net_tick() and
 *     tcp_timer_tick(). The interrupt handler never runs the stack itself.
 *   - Without a NIC the netif still exists with address 127.0.0.1 (so
 *     sockets work over loopback in every lab-6 boot).
 */
#ifndef NET_STACK_H
#define NET_STACK_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>
#include "sync/spinlock.h"

struct netif;

/* DHCP's retries end well within this (dhcp.h: 1+2+4+4+4 s). */
#define NET_DHCP_WAIT_MS 20000

/* How often netd runs the stack's timers (ARP retries, TCP timers). */
#define NET_TICK_MS 100

extern struct spinlock net_lock;   /* guards the netif, ARP, UDP table, TCP, sockets */

/* The one interface, or NULL before net_start(). */
struct netif *net_iface(void);
/* Milliseconds since boot (the stack's now_ms). */
uint32_t net_now_ms(void);
/* True once the interface has an address (DHCP done, or ip= given). */
bool net_configured(void);
/* Boot: PCI scan, E1000, netd thread, then DHCP (or the ip= address). */
void net_start(void);
/* True if an E1000 was found and brought up. */
bool net_have_nic(void);
/* Wake netd (it will drain the receive ring and any loopback queue).
 * Any context; takes no lock but the scheduler's. */
void net_kick(void);
/* Start netd if it does not run yet (socket(): may sleep, no locks held). */
void net_need_netd(void);
/* Wait until the address is known or DHCP gave up, at most timeout_ms;
 * net_configured(). Sleeps: call without net_lock. */
bool net_wait_configured(uint32_t timeout_ms);
/* True while the DHCP client still waits for an answer. */
bool net_dhcp_running(void);

/* netd calls this every round holding net_lock: the socket layer's
 * loopback queue goes up the stack here (never re-entrantly from a send).
 * stack.c has a weak empty one; socket code defines the real one. */
void net_loopback_poll(struct netif *nif, uint32_t now_ms);

/* How netd is doing (for tests, netstat). */
struct net_daemon_stats {
    uint32_t rounds;        /* times netd woke up */
    uint32_t frames;        /* received frames handed to net_input */
    uint32_t found_polling; /* rounds that found frames without an interrupt's kick */
    bool polling;           /* no interrupts: netd polls every clock tick */
};
void net_daemon_stats(struct net_daemon_stats *out);

/* Command line: ip=a.b.c.d/nn[,gw] (static, no DHCP), nic=0 (ignore the
 * NIC), net_poll=1 (poll from the start, no interrupt), net_irq=0 (no
 * interrupt: netd must notice and fall back to polling by itself). */
#endif /* LAB >= 6 */

#endif
