/* vga.h -- the 80x25 VGA text console. */
#ifndef ARCH_I386_VGA_H
#define ARCH_I386_VGA_H

void vga_init(void);
void vga_putc(char c);
void vga_sync_cursor(void);

#endif
