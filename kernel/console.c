/*
 * console.c -- kprintf and friends.
 *
 * Every byte goes to three places: COM1 (what `make qemu` and the grader
 * see), the VGA screen (what a lecturer's QEMU window shows) and kmsg_buf
 * (what GDB can still read after a crash). Formatting is libk's vformat().
 */
#include "console.h"
#include "arch/i386/serial.h"
#include "arch/i386/vga.h"
#include <stdio.h>

char kmsg_buf[KMSG_SIZE];
size_t kmsg_written;

void console_init(void)
{
    serial_init(COM1);
    vga_init();
}

void console_putc(char c)
{
    /* Serial terminals want CR LF; the screen and the log keep plain LF. */
    if (c == '\n')
        serial_putc(COM1, '\r');
    serial_putc(COM1, c);
    vga_putc(c);
    kmsg_buf[kmsg_written++ % KMSG_SIZE] = c;
}

void console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        console_putc(s[i]);
    vga_sync_cursor();
}

static void emit_to_console(char c, void *ctx)
{
    (void)ctx;
    console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    int n = vformat(emit_to_console, NULL, fmt, ap);
    vga_sync_cursor();
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int console_getc_nowait(void)
{
    return serial_getc_nowait(COM1);
}
