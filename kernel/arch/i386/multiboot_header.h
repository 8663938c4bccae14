/* multiboot_header.h -- constants for the Multiboot v1 header (boot.S). */
#ifndef ARCH_I386_MULTIBOOT_HEADER_H
#define ARCH_I386_MULTIBOOT_HEADER_H

#define MB_HEADER_MAGIC     0x1BADB002
/* bit 0: align modules on 4 KiB pages (lab 3 hands them out as frames);
 * bit 1: pass the memory fields and the memory map. */
#define MB_HEADER_FLAGS     0x00000003
/* What the loader leaves in eax. */
#define MB_BOOTLOADER_MAGIC 0x2BADB002

#endif
