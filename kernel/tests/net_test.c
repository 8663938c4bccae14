/*
 * net_test.c -- the network as the kernel sees it (lab 6): the E1000 on
 * the PCI bus, its MAC, DHCP's address from QEMU's user networking
 * (slirp: 10.0.2.15/24, gateway 10.0.2.2), ARP and ping to the gateway
 * through the real driver, and interrupts that arrived.
 *
 * Boot with QEMU's e1000 on -netdev user (QEMU's default NIC is one).
 * Each wait ends at an observable event; its deadline (three quarters of
 * the per-case watchdog) only turns a hang into a report.
 */
#if LAB >= 6
#include "ktest.h"
#include "cmdline.h"
#include "multiboot.h"
#include "arch/i386/e1000.h"
#include "arch/i386/e1000_regs.h"
#include "arch/i386/pci.h"
#include "arch/i386/pit.h"
#include "net/bytes.h"
#include "net/icmp.h"
#include "net/ipconfig.h"
#include "net/net.h"
#include "net/stack.h"
#include "proc/sched.h"
#include <string.h>

#define SLIRP_GUEST   IP4(10, 0, 2, 15)
#define SLIRP_GATEWAY IP4(10, 0, 2, 2)
#define SLIRP_NETMASK IP4(255, 255, 255, 0)

static uint32_t deadline_ms(void)
{
    return (ktest_timeout_s ? ktest_timeout_s : 40u) * 1000u * 3u / 4u;
}

/* Sleep a tick at a time until done() or the deadline; done()'s answer. */
static bool wait_for(bool (*done)(void))
{
    uint32_t start = net_now_ms();
    while (!done()) {
        if (net_now_ms() - start >= deadline_ms())
            return done();
        thread_sleep(1);
    }
    return true;
}

KTEST(net, e1000_on_pci)
{
    const struct pci_func *f = pci_find(E1000_VENDOR_INTEL, E1000_DEV_82540EM);
    KASSERT(f != NULL);
    KEXPECT_EQ(f->class_code, 0x02);            /* network controller */
    KEXPECT_EQ(f->subclass, 0x00);              /* Ethernet */
    KEXPECT(!f->bar[0].io);                     /* registers: 128 KiB of memory */
    KEXPECT_EQ(f->bar[0].size, 0x20000);
    KEXPECT(f->bar[1].io);                      /* and 64 I/O ports (IOADDR/IODATA) */
    KEXPECT_EQ(f->bar[1].size, 0x40);
    uint32_t cmd = pci_config_read32(f->bus, f->dev, f->fn, PCI_COMMAND);
    KEXPECT(cmd & PCI_CMD_BUS_MASTER);          /* the driver turned DMA on */
    KEXPECT(e1000_present());
    KEXPECT(net_have_nic());
}

/* QEMU's default MAC, unless the grader says otherwise (mac=...). */
KTEST(net, mac_read)
{
    KASSERT(e1000_present());
    uint8_t mac[6];
    e1000_get_mac(mac);
    static const uint8_t qemu_default[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    KEXPECT(memcmp(mac, qemu_default, 6) == 0);
    KEXPECT(memcmp(net_iface()->mac, mac, 6) == 0);
}

static bool configured_or_given_up(void)
{
    return net_configured() || !net_dhcp_running();
}

KTEST(net, dhcp_address)
{
    KASSERT(net_iface() != NULL && net_have_nic());
    if (cmdline_has(boot_info.harness_cmdline, "ip")) {
        ktest_skip("ip= on the command line: no DHCP");
        return;
    }
    wait_for(configured_or_given_up);
    struct netif *nif = net_iface();
    KEXPECT_EQ(nif->ip, SLIRP_GUEST);
    KEXPECT_EQ(nif->gateway, SLIRP_GATEWAY);
    KEXPECT_EQ(nif->netmask, SLIRP_NETMASK);
}

static bool gateway_resolved(void)
{
    uint8_t mac[6];
    uint32_t s = spin_lock_irqsave(&net_lock);
    bool ok = arp_lookup(net_iface(), net_iface()->gateway, mac, net_now_ms());
    spin_unlock_irqrestore(&net_lock, s);
    return ok;
}

/* Echo replies from the gateway, counted by the callback below. */
static int echo_replies;
static uint16_t echo_seq_seen;

static void on_reply(void *ctx, uint32_t from, uint16_t id, uint16_t seq, const uint8_t *data,
                     size_t len, uint32_t now_ms)
{
    (void)ctx, (void)data, (void)len, (void)now_ms;
    if (from == SLIRP_GATEWAY && id == 0x7e57) {
        echo_seq_seen = seq;
        __atomic_fetch_add(&echo_replies, 1, __ATOMIC_RELEASE);
    }
}

static bool got_reply(void)
{
    return __atomic_load_n(&echo_replies, __ATOMIC_ACQUIRE) > 0;
}

/* Ping the gateway: ARP first (the echo request waits in ARP's queue),
 * then the reply comes up through the E1000's receive ring. */
static bool ping_gateway(uint16_t seq)
{
    static const uint8_t payload[] = "tidepool net test";
    struct netif *nif = net_iface();
    uint32_t s = spin_lock_irqsave(&net_lock);
    icmp_echo_reply_fn old = nif->on_echo_reply;
    void *old_ctx = nif->echo_ctx;
    nif->on_echo_reply = on_reply;
    nif->echo_ctx = NULL;
    echo_replies = 0;
    int err = icmp_send_echo(nif, nif->gateway, 0x7e57, seq, payload, sizeof payload, net_now_ms());
    spin_unlock_irqrestore(&net_lock, s);
    bool ok = err == 0 && wait_for(got_reply);
    s = spin_lock_irqsave(&net_lock);
    nif->on_echo_reply = old;
    nif->echo_ctx = old_ctx;
    spin_unlock_irqrestore(&net_lock, s);
    return ok;
}

KTEST(net, arp_gateway)
{
    KASSERT(net_have_nic());
    KASSERT(wait_for(configured_or_given_up) && net_configured());
    ping_gateway(1);                            /* whatever comes of the ping: ARP */
    KEXPECT(wait_for(gateway_resolved));
}

KTEST(net, ping_gateway)
{
    KASSERT(net_have_nic());
    KASSERT(wait_for(configured_or_given_up) && net_configured());
    KEXPECT(ping_gateway(42));
    KEXPECT_EQ(echo_seq_seen, 42);
}

/* The frames of the cases above came in by interrupt (unless the command
 * line turned it off), and the card counted them. */
KTEST(net, interrupts_counted)
{
    KASSERT(net_have_nic());
    KASSERT(wait_for(configured_or_given_up) && net_configured());
    KEXPECT(ping_gateway(7));
    struct e1000_stats st;
    struct net_daemon_stats nd;
    uint32_t s = spin_lock_irqsave(&net_lock);
    e1000_get_stats(&st);
    spin_unlock_irqrestore(&net_lock, s);
    net_daemon_stats(&nd);
    KEXPECT(nd.frames > 0);
    KEXPECT(st.rx_packets > 0);
    KEXPECT(st.tx_packets > 0);
    /* Only the command line may turn interrupts off: a driver whose
     * interrupts never come (netd then falls back to polling) fails. */
    const char *cmdline = boot_info.harness_cmdline;
    if (cmdline_has(cmdline, "net_poll") || cmdline_has(cmdline, "net_irq")) {
        ktest_skip("interrupts off on the command line (net_poll=1 or net_irq=0)");
        return;
    }
    KEXPECT(st.irqs > 0);
    KEXPECT(!nd.polling);
    /* The line the firmware wrote into the function's configuration
     * space (QEMU: 11, Bochs: 9). */
    const struct pci_func *f = pci_find(E1000_VENDOR_INTEL, E1000_DEV_82540EM);
    KASSERT(f != NULL);
    KEXPECT_EQ(e1000_irq(), f->irq_line);
}
#endif /* LAB >= 6 */

#if LAB >= 6
/* With the E1000's interrupt left off (net_irq=0), netd notices that
 * frames only ever turn up on its timer and polls every clock tick: DHCP
 * and ping still work, only slower. Skipped without net_irq=0. */
KTEST(net, polling_fallback)
{
    if (!cmdline_has(boot_info.harness_cmdline, "net_irq")) {
        ktest_skip("needs net_irq=0 on the command line");
        return;
    }
    KASSERT(net_have_nic());
    KASSERT(wait_for(configured_or_given_up) && net_configured());
    KEXPECT(ping_gateway(3));
    struct net_daemon_stats nd;
    net_daemon_stats(&nd);
    KEXPECT(nd.polling);
    KEXPECT(nd.found_polling >= 3);
    KEXPECT_EQ(e1000_irq(), -1);
}

/* ip=a.b.c.d/nn[,gw]: the address is there at once, no DHCP runs. */
KTEST(net, static_address)
{
    char value[48];
    struct ipconfig c;
    if (!cmdline_value(boot_info.harness_cmdline, "ip", value, sizeof value)) {
        ktest_skip("needs ip=a.b.c.d/nn[,gw] on the command line");
        return;
    }
    KASSERT(ipconfig_parse(value, &c) == 0);
    KEXPECT(net_configured());
    KEXPECT(!net_dhcp_running());
    KEXPECT_EQ(net_iface()->ip, c.ip);
    KEXPECT_EQ(net_iface()->netmask, c.netmask);
    KEXPECT_EQ(net_iface()->gateway, c.gateway);
}
#endif /* LAB >= 6 */
