/*
 * e1000.h -- the Intel 82540EM Ethernet controller (QEMU's -device e1000,
 * Bochs's e1000:).
 *
 * The driver owns two descriptor rings in physical memory that the card
 * reads and writes by DMA. It knows nothing of protocols: it sends and
 * receives whole Ethernet frames. The transmit, receive and statistics
 * functions share the rings and must be serialized by the caller (the
 * stack calls them holding net_lock); the interrupt handler touches only
 * ICR and calls the hook that wakes the network thread.
 */
#ifndef ARCH_I386_E1000_H
#define ARCH_I386_E1000_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E1000_RX_RING 64    /* descriptors; ring bytes must be a multiple of 128 */
#define E1000_TX_RING 32
#define E1000_BUF_SIZE 2048 /* one buffer per descriptor, RCTL.BSIZE */

struct e1000_stats {
    uint64_t rx_packets, tx_packets;    /* the card's GPRC, GPTC */
    uint64_t rx_bytes, tx_bytes;        /* GORC, GOTC */
    uint64_t crc_errors, missed, no_buffers;    /* CRCERRS, MPC, RNBC */
    uint32_t irqs;                      /* interrupts that were ours */
    uint32_t tx_ring_full;              /* frames dropped: no free descriptor */
    uint32_t rx_errors;                 /* descriptors with errors or no EOP */
};

/* Find the card on the PCI bus, reset it, read its MAC, set up the rings
 * and (if use_irq) its interrupt. False if there is none (or it does not
 * come up). */
bool e1000_probe(bool use_irq);
bool e1000_present(void);
void e1000_get_mac(uint8_t mac[6]);
/* The ISA IRQ it interrupts on, or -1 without one. */
int e1000_irq(void);
bool e1000_link_up(void);

/* Queue one frame (no FCS; the card adds it). 0, or -ENOBUFS if the ring
 * is full, -EINVAL if it is too long. */
int e1000_transmit(const uint8_t *frame, size_t len);
/* Take one received frame into buf: its length, 0 if none is waiting.
 * Bad frames (errors, too long for buf) are dropped and counted. */
size_t e1000_receive(uint8_t *buf, size_t cap);
/* True if a received frame is waiting (a peek at the next descriptor). */
bool e1000_rx_pending(void);

/* Add the card's clear-on-read counters to the totals; a copy of them. */
void e1000_get_stats(struct e1000_stats *out);

/* Called from the interrupt handler when the card raised a receive or
 * link interrupt: must be short and take no lock but the scheduler's. */
void e1000_set_wakeup(void (*fn)(void));
#endif /* LAB >= 6 */

#endif
