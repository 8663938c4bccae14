/*
 * stack.c -- the kernel's glue around the pure network stack: net_lock,
 * the one netif, the clock, the netd thread, DHCP or ip= (see stack.h).
 */
#if LAB >= 6
#include "net/stack.h"
#include "net/bytes.h"
#include "net/dhcp.h"
#include "net/ipconfig.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat_nic.h"
#include "net/tcp.h"
#include "abi/netstat.h"
#include "arch/i386/e1000.h"
#include "arch/i386/pit.h"
#include "cmdline.h"
#include "console.h"
#include "multiboot.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/once.h"
#include <string.h>

struct spinlock net_lock = SPINLOCK_INIT("net");
static struct netif iface;              /* protected by net_lock */
static bool iface_up;                   /* set once, in net_start */
static bool have_nic;                   /* set once, in net_start */
static struct thread *netd_thread;      /* set once (start_netd), read atomically */
static int kicked;                      /* atomic: work for netd (interrupt, loopback) */
static struct net_daemon_stats netd_stats;  /* protected by net_lock */

static struct dhcp_client dhcp;         /* protected by net_lock */
static bool dhcp_running;               /* protected by net_lock */
static uint8_t dhcp_out[DHCP_MSG_MAX];  /* protected by net_lock */
static uint8_t rx_frame[2048];          /* netd's copy of a received frame; net_lock */

struct netif *net_iface(void)
{
    return iface_up ? &iface : 0;
}

/* pit_ticks counts from boot at pit_hz; 64-bit so the product cannot
 * overflow before pit_ticks itself wraps. */
uint32_t net_now_ms(void)
{
    uint32_t hz = pit_hz ? pit_hz : PIT_DEFAULT_HZ;
    return (uint32_t)((uint64_t)pit_ticks * 1000u / hz);
}

bool net_configured(void)
{
    return iface_up && __atomic_load_n(&iface.ip, __ATOMIC_RELAXED) != 0;
}

bool net_have_nic(void)
{
    return have_nic;
}

void net_daemon_stats(struct net_daemon_stats *out)
{
    uint32_t s = spin_lock_irqsave(&net_lock);
    *out = netd_stats;
    spin_unlock_irqrestore(&net_lock, s);
}

/* From the E1000's interrupt handler or a sender on loopback: netd has
 * work. sched_interrupt() ends its thread_sleep() early if it sleeps. */
void net_kick(void)
{
    __atomic_store_n(&kicked, 1, __ATOMIC_RELEASE);
    struct thread *t = __atomic_load_n(&netd_thread, __ATOMIC_ACQUIRE);
    if (t != NULL)
        sched_interrupt(t);
}

/* SYS_netstat's NIC section (netstat_nic.h): the E1000's statistics
 * registers (82540EM 13.7) and netd's own counters. net_lock held. */
static int put_counter(struct netstat_counter *out, int n, int max, const char *name, uint64_t v)
{
    if (n >= max)
        return n;
    strncpy(out[n].name, name, sizeof out[n].name - 1);
    out[n].name[sizeof out[n].name - 1] = '\0';
    out[n].value = (uint32_t)v;
    return n + 1;
}

int net_nic_stats(struct netstat_counter *out, int max)
{
    if (!have_nic)
        return 0;
    struct e1000_stats st;
    e1000_get_stats(&st);
    int n = 0;
    n = put_counter(out, n, max, "rx_packets", st.rx_packets);
    n = put_counter(out, n, max, "tx_packets", st.tx_packets);
    n = put_counter(out, n, max, "rx_bytes", st.rx_bytes);
    n = put_counter(out, n, max, "tx_bytes", st.tx_bytes);
    n = put_counter(out, n, max, "crc_errors", st.crc_errors);
    n = put_counter(out, n, max, "missed", st.missed);
    n = put_counter(out, n, max, "no_buffers", st.no_buffers);
    n = put_counter(out, n, max, "rx_errors", st.rx_errors);
    n = put_counter(out, n, max, "tx_ring_full", st.tx_ring_full);
    n = put_counter(out, n, max, "interrupts", st.irqs);
    n = put_counter(out, n, max, "netd_rounds", netd_stats.rounds);
    n = put_counter(out, n, max, "netd_polling", netd_stats.polling);
    return n;
}

/* sock's loopback queue (socket side); without sockets, nothing. Called
 * by netd holding net_lock. */
__attribute__((weak)) void net_loopback_poll(struct netif *nif, uint32_t now_ms)
{
    (void)nif;
    (void)now_ms;
}

/* The netif's transmit callback, called with net_lock held. A full ring
 * drops the frame (e1000 counts it); TCP retransmits, ARP retries. */
static void nic_transmit(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    e1000_transmit(frame, len);
}

static void print_addr(const char *what, uint32_t a)
{
    kprintf("%s%u.%u.%u.%u", what, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void announce_address(const char *how)
{
    kprintf("net: %s: ", how);
    print_addr("address ", iface.ip);
    print_addr(" netmask ", iface.netmask);
    print_addr(" gateway ", iface.gateway);
    kprintf("\n");
}

/* ---- DHCP: the pure client of dhcp.c, over UDP port 68 ---- */

static void dhcp_send(size_t len, uint32_t now_ms)
{
    if (len > 0)
        udp_send(&iface, DHCP_CLIENT_PORT, IPV4_BROADCAST, DHCP_SERVER_PORT, dhcp_out, len, now_ms);
}

/* BOUND: take the address; FAILED: say so and stay without one. Either
 * way port 68 is free again. */
static void dhcp_check_done(void)
{
    if (dhcp.state == DHCP_BOUND) {
        uint32_t mask = dhcp.lease.netmask ? dhcp.lease.netmask : 0xFFFFFF00u;
        net_set_addr(&iface, dhcp.lease.ip, mask, dhcp.lease.router);
        announce_address("DHCP");
    } else if (dhcp.state == DHCP_FAILED) {
        kprintf("net: DHCP: no answer after %d tries: the interface has no address "
                "(ip=a.b.c.d/nn[,gw] on the command line sets one)\n", dhcp.tries);
    } else {
        return;
    }
    dhcp_running = false;
    udp_unbind(&iface, DHCP_CLIENT_PORT);
}

static void dhcp_recv(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                      const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)ctx, (void)src_ip, (void)dst_port;
    if (!dhcp_running || src_port != DHCP_SERVER_PORT)
        return;
    dhcp_send(dhcp_input(&dhcp, data, len, now_ms, dhcp_out, sizeof dhcp_out), now_ms);
    dhcp_check_done();
}

static void dhcp_begin(uint32_t now_ms)
{
    /* The transaction id only has to differ between clients and boots
     * (RFC 2131 4.1): the MAC's low bytes and the clock. */
    uint32_t xid = (uint32_t)iface.mac[3] << 24 | (uint32_t)iface.mac[4] << 16 |
                   (uint32_t)iface.mac[5] << 8 | (now_ms & 0xFF);
    dhcp_start(&dhcp, iface.mac, xid ^ pit_ticks << 8, now_ms);
    if (udp_bind(&iface, DHCP_CLIENT_PORT, dhcp_recv, NULL) != 0) {
        kprintf("net: DHCP: port 68 is taken\n");
        return;
    }
    dhcp_running = true;
}

/* ---- netd ---- */

/* Every received frame up the stack, a bounded number per round so the
 * timers still run under a flood. Called with net_lock held. */
static void drain_rx(uint32_t now_ms, bool woken)
{
    int frames = 0;
    size_t len;
    while (frames < 2 * E1000_RX_RING && (len = e1000_receive(rx_frame, sizeof rx_frame)) > 0) {
        net_input(&iface, rx_frame, len, now_ms);
        frames++;
    }
    netd_stats.frames += (uint32_t)frames;
    if (frames > 0 && !woken)
        netd_stats.found_polling++;
}

/* The 100 ms timers: ARP, TCP, DHCP's retries. net_lock held. */
static void run_timers(uint32_t now_ms)
{
    net_tick(&iface, now_ms);
    tcp_timer_tick(now_ms);
    if (dhcp_running) {
        dhcp_send(dhcp_tick(&dhcp, now_ms, dhcp_out, sizeof dhcp_out), now_ms);
        dhcp_check_done();
    }
}

/* Interrupts do not arrive (an emulator routes them elsewhere): after a
 * few frames found only by the timer and no interrupt at all, poll every
 * clock tick instead of every NET_TICK_MS. */
static void maybe_fall_back_to_polling(void)
{
    struct e1000_stats st;
    if (netd_stats.polling || netd_stats.found_polling < 3)
        return;
    e1000_get_stats(&st);
    if (st.irqs == 0) {
        netd_stats.polling = true;
        kprintf("net: no interrupts from the e1000: polling every clock tick\n");
    }
}

static uint32_t ms_to_ticks(uint32_t ms)
{
    uint32_t hz = pit_hz ? pit_hz : PIT_DEFAULT_HZ;
    uint32_t t = (uint32_t)(((uint64_t)ms * hz + 999) / 1000);
    return t ? t : 1;
}

/* One round: drain, loopback, timers if due. Returns how long to sleep. */
static uint32_t netd_round(uint32_t *next_tick)
{
    bool woken = __atomic_exchange_n(&kicked, 0, __ATOMIC_ACQUIRE);
    uint32_t s = spin_lock_irqsave(&net_lock);
    uint32_t now = net_now_ms();
    netd_stats.rounds++;
    if (have_nic) {
        drain_rx(now, woken);
        maybe_fall_back_to_polling();
    }
    net_loopback_poll(&iface, now);
    if (!net_time_before(now, *next_tick)) {
        run_timers(now);
        *next_tick = now + NET_TICK_MS;
    }
    bool more = have_nic && e1000_rx_pending();
    bool polling = netd_stats.polling;
    spin_unlock_irqrestore(&net_lock, s);
    if (more)
        return 0;
    if (polling)
        return 1;
    return ms_to_ticks(net_time_before(now, *next_tick) ? *next_tick - now : 1);
}

static int netd_main(void *arg)
{
    (void)arg;
    uint32_t next_tick = net_now_ms();
    for (;;) {
        uint32_t ticks = netd_round(&next_tick);
        /* A kick after this check and before the sleep is not lost for
         * long: sched_interrupt() finds us runnable and does nothing, and
         * the frame waits for the next round, at most NET_TICK_MS. */
        if (!__atomic_load_n(&kicked, __ATOMIC_ACQUIRE))
            thread_sleep(ticks);
    }
    return 0;
}

/* ---- boot ---- */

/* ip=a.b.c.d/nn[,gw]: true if given (and valid). */
static bool static_address(void)
{
    char value[48];
    struct ipconfig c;
    if (!cmdline_value(boot_info.harness_cmdline, "ip", value, sizeof value))
        return false;
    if (ipconfig_parse(value, &c) != 0) {
        kprintf("net: ip=%s: not a.b.c.d/nn[,gw]; using DHCP\n", value);
        return false;
    }
    net_set_addr(&iface, c.ip, c.netmask, c.gateway);
    announce_address("ip=");
    return true;
}

void net_start(void)
{
    static const uint8_t no_mac[ETH_ALEN];
    char value[4];
    have_nic = !cmdline_value(boot_info.harness_cmdline, "nic", value, sizeof value) ||
               value[0] != '0';
    /* net_irq=0: leave the interrupt off and let netd find out (the
     * automatic fallback to polling, as with an emulator whose routing
     * differs); net_poll=1: poll from the start. */
    bool poll = cmdline_value(boot_info.harness_cmdline, "net_poll", value, sizeof value) &&
                value[0] == '1';
    bool no_irq = cmdline_value(boot_info.harness_cmdline, "net_irq", value, sizeof value) &&
                  value[0] == '0';
    have_nic = have_nic && e1000_probe(!poll && !no_irq);
    uint32_t s = spin_lock_irqsave(&net_lock);
    if (have_nic) {
        uint8_t mac[ETH_ALEN];
        e1000_get_mac(mac);
        net_init(&iface, mac, nic_transmit, NULL);
    } else {
        /* No NIC: sockets still work over loopback (sock's queue). */
        net_init(&iface, no_mac, NULL, NULL);
        net_set_addr(&iface, IP4(127, 0, 0, 1), IP4(255, 0, 0, 0), 0);
    }
    tcp_attach(&iface);
    netd_stats.polling = poll;
    if (have_nic && !static_address())
        dhcp_begin(net_now_ms());
    iface_up = true;
    spin_unlock_irqrestore(&net_lock, s);

    if (have_nic) {
        net_need_netd();
        e1000_set_wakeup(net_kick);
    }
}

static void start_netd(void *arg)
{
    (void)arg;
    struct thread *t = thread_create(netd_main, NULL, "netd");
    if (t == NULL) {
        kprintf("net: no memory for the netd thread: no network\n");
        return;
    }
    __atomic_store_n(&netd_thread, t, __ATOMIC_RELEASE);
}

/* netd starts at boot with a NIC; without one, with the first socket
 * (it runs TCP's timers for loopback): a kernel that never uses the
 * network has no thread for it, and GDB's `tasks` lists the threads it
 * did before lab 6. */
void net_need_netd(void)
{
    static struct once netd_once = ONCE_INIT(netd_once);
    once_call(&netd_once, start_netd, NULL);
}

bool net_dhcp_running(void)
{
    uint32_t s = spin_lock_irqsave(&net_lock);
    bool running = dhcp_running;
    spin_unlock_irqrestore(&net_lock, s);
    return running;
}

/* Wait until the address is known or DHCP has given up (or timeout_ms):
 * what init and the tests need before they use the network. */
bool net_wait_configured(uint32_t timeout_ms)
{
    uint32_t start = net_now_ms();
    while (iface_up && !net_configured() && net_dhcp_running() &&
           net_now_ms() - start < timeout_ms)
        thread_sleep(1);
    return net_configured();
}
#endif /* LAB >= 6 */
