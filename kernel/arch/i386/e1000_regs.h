/*
 * e1000_regs.h -- the Intel 82540EM's registers and descriptors that the
 * driver uses. Section numbers are those of the "PCI/PCI-X Family of
 * Gigabit Ethernet Controllers Software Developer's Manual" (82540EM
 * is one of its family), chapter 13 (registers) and 3 (descriptors).
 */
#ifndef ARCH_I386_E1000_REGS_H
#define ARCH_I386_E1000_REGS_H

#if LAB >= 6
#include <stdint.h>

#define E1000_VENDOR_INTEL  0x8086
#define E1000_DEV_82540EM   0x100E

/* Register offsets from BAR 0 (13.1, table 13-2). */
#define E1000_CTRL      0x0000  /* device control */
#define E1000_STATUS    0x0008  /* device status */
#define E1000_EERD      0x0014  /* EEPROM read */
#define E1000_ICR       0x00C0  /* interrupt cause read (clears on read) */
#define E1000_IMS       0x00D0  /* interrupt mask set */
#define E1000_IMC       0x00D8  /* interrupt mask clear */
#define E1000_RCTL      0x0100  /* receive control */
#define E1000_TCTL      0x0400  /* transmit control */
#define E1000_TIPG      0x0410  /* transmit inter-packet gap */
#define E1000_RDBAL     0x2800  /* receive descriptor base, low and high */
#define E1000_RDBAH     0x2804
#define E1000_RDLEN     0x2808  /* ring length in bytes, multiple of 128 */
#define E1000_RDH       0x2810  /* head: the hardware's next descriptor */
#define E1000_RDT       0x2818  /* tail: one past the last one given to it */
#define E1000_TDBAL     0x3800
#define E1000_TDBAH     0x3804
#define E1000_TDLEN     0x3808
#define E1000_TDH       0x3810
#define E1000_TDT       0x3818
#define E1000_MTA       0x5200  /* multicast table array, 128 words */
#define E1000_RAL0      0x5400  /* receive address 0, low and high */
#define E1000_RAH0      0x5404

/* Statistics (13.7): clear on read, so the driver accumulates them. */
#define E1000_CRCERRS   0x4000  /* CRC errors */
#define E1000_MPC       0x4010  /* missed packets (no descriptor free) */
#define E1000_GPRC      0x4074  /* good packets received */
#define E1000_GPTC      0x4080  /* good packets transmitted */
#define E1000_GORCL     0x4088  /* good octets received, low 32 bits */
#define E1000_GORCH     0x408C
#define E1000_GOTCL     0x4090  /* good octets transmitted, low 32 bits */
#define E1000_GOTCH     0x4094
#define E1000_RNBC      0x40A0  /* receive no buffers */

/* CTRL bits (13.4.1). */
#define E1000_CTRL_ASDE (1u << 5)   /* auto-speed detection */
#define E1000_CTRL_SLU  (1u << 6)   /* set link up */
#define E1000_CTRL_RST  (1u << 26)  /* device reset, self-clearing */
/* STATUS bits (13.4.2). */
#define E1000_STATUS_LU (1u << 1)   /* link up */
/* EERD (13.4.4): start, done, the word address and its data. */
#define E1000_EERD_START    (1u << 0)
#define E1000_EERD_DONE     (1u << 4)
#define E1000_EERD_ADDR(a)  ((uint32_t)(a) << 8)
#define E1000_EERD_DATA(v)  ((uint16_t)((v) >> 16))
/* RAH: address valid (13.5.2). */
#define E1000_RAH_AV    (1u << 31)

/* Interrupt causes, for ICR/IMS/IMC (13.4.17). */
#define E1000_INT_TXDW   (1u << 0)  /* transmit descriptor written back */
#define E1000_INT_LSC    (1u << 2)  /* link status change */
#define E1000_INT_RXDMT0 (1u << 4)  /* receive descriptors below threshold */
#define E1000_INT_RXO    (1u << 6)  /* receiver overrun */
#define E1000_INT_RXT0   (1u << 7)  /* receiver timer: a frame arrived */

/* RCTL bits (13.4.22). */
#define E1000_RCTL_EN    (1u << 1)
#define E1000_RCTL_BAM   (1u << 15) /* accept broadcast */
#define E1000_RCTL_BSIZE_2048 0u    /* BSIZE 00 with BSEX 0: 2048-byte buffers */
#define E1000_RCTL_SECRC (1u << 26) /* strip the Ethernet CRC */
/* TCTL bits (13.4.33). */
#define E1000_TCTL_EN    (1u << 1)
#define E1000_TCTL_PSP   (1u << 3)  /* pad short packets to 64 bytes */
#define E1000_TCTL_CT(n)   ((uint32_t)(n) << 4)    /* collision threshold */
#define E1000_TCTL_COLD(n) ((uint32_t)(n) << 12)   /* collision distance */
/* TIPG for the 82540EM's copper PHY (13.4.34, table 13-77). */
#define E1000_TIPG_VALUE (10u | 8u << 10 | 6u << 20)

/* Receive descriptor, legacy format (3.2.3, table 3-1). */
struct e1000_rx_desc {
    uint64_t addr;      /* buffer's physical address */
    uint16_t length;    /* bytes written into the buffer */
    uint16_t checksum;
    uint8_t status;     /* E1000_RXD_STAT_* */
    uint8_t errors;     /* nonzero: the frame is bad (CRC, symbol, ...) */
    uint16_t special;
} __attribute__((packed));

#define E1000_RXD_STAT_DD  (1u << 0)   /* descriptor done */
#define E1000_RXD_STAT_EOP (1u << 1)   /* end of packet */

/* Transmit descriptor, legacy format (3.3.3, table 3-8). */
struct e1000_tx_desc {
    uint64_t addr;
    uint16_t length;
    uint8_t cso;
    uint8_t cmd;        /* E1000_TXD_CMD_* */
    uint8_t status;     /* E1000_TXD_STAT_DD once sent (with RS) */
    uint8_t css;
    uint16_t special;
} __attribute__((packed));

#define E1000_TXD_CMD_EOP  (1u << 0)   /* end of packet */
#define E1000_TXD_CMD_IFCS (1u << 1)   /* insert the Ethernet CRC */
#define E1000_TXD_CMD_RS   (1u << 3)   /* report status: set DD when done */
#define E1000_TXD_STAT_DD  (1u << 0)

_Static_assert(sizeof(struct e1000_rx_desc) == 16, "3.2.3: 16-byte receive descriptors");
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "3.3.3: 16-byte transmit descriptors");
#endif /* LAB >= 6 */

#endif
