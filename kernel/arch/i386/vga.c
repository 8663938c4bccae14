/*
 * vga.c -- 80x25 colour text mode.
 *
 * The VGA card shows the 4000 bytes at physical 0xB8000 as 25 rows of 80
 * cells; each cell is a 16-bit value: character in the low byte, colours
 * in the high byte. The blinking cursor is moved through the CRT
 * controller's index/data port pair 0x3D4/0x3D5.
 */
#include "arch/i386/vga.h"
#include "arch/i386/io.h"
#include <stdint.h>
#include <string.h>

enum { VGA_COLS = 80, VGA_ROWS = 25 };
enum { ATTR_GREY_ON_BLACK = 0x07 };
enum { CRTC_INDEX = 0x3D4, CRTC_DATA = 0x3D5,
       CRTC_CURSOR_HIGH = 0x0E, CRTC_CURSOR_LOW = 0x0F };

/* SAFETY: 0xB8000 is the VGA text buffer on every PC (identity-mapped:
 * paging is off, and lab 3 keeps low memory mapped). It is memory-mapped
 * I/O, so every access is volatile: the compiler must not cache, merge or
 * drop writes the display will read. */
static volatile uint16_t *const vga_buffer = (volatile uint16_t *)0xB8000;

static int cursor_row, cursor_col;

static uint16_t vga_cell(char c)
{
    return (uint16_t)(ATTR_GREY_ON_BLACK << 8) | (uint8_t)c;
}

static void vga_move_cursor(void)
{
    /* SAFETY: 0x3D4/0x3D5 are the CRT controller's index/data pair on
     * every colour VGA; only this driver uses them, and registers 0x0E/0x0F
     * hold nothing but the cursor position. */
    uint16_t pos = (uint16_t)(cursor_row * VGA_COLS + cursor_col);
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, (uint8_t)pos);
}

static void vga_clear_row(int row)
{
    /* SAFETY: row < VGA_ROWS (callers), so every cell is in the buffer. */
    for (int col = 0; col < VGA_COLS; col++)
        vga_buffer[row * VGA_COLS + col] = vga_cell(' ');
}

static void vga_scroll(void)
{
    /* SAFETY: i + VGA_COLS < VGA_ROWS * VGA_COLS: inside the buffer. */
    for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
        vga_buffer[i] = vga_buffer[i + VGA_COLS];
    vga_clear_row(VGA_ROWS - 1);
    cursor_row = VGA_ROWS - 1;
}

void vga_init(void)
{
    for (int row = 0; row < VGA_ROWS; row++)
        vga_clear_row(row);
    cursor_row = cursor_col = 0;
    vga_move_cursor();
}

void vga_putc(char c)
{
    switch (c) {
    case '\n':
        cursor_col = 0;
        cursor_row++;
        break;
    case '\r':
        cursor_col = 0;
        break;
    case '\b':
        /* SAFETY: the cursor is on screen (the wrap below keeps it so). */
        if (cursor_col > 0)
            vga_buffer[cursor_row * VGA_COLS + --cursor_col] = vga_cell(' ');
        break;
    case '\t':
        cursor_col = (cursor_col + 8) & ~7;
        break;
    default:
        /* SAFETY: cursor_row < VGA_ROWS, cursor_col < VGA_COLS: the code
         * after the switch wraps and scrolls before the next write. */
        vga_buffer[cursor_row * VGA_COLS + cursor_col++] = vga_cell(c);
        break;
    }
    if (cursor_col >= VGA_COLS) {
        cursor_col = 0;
        cursor_row++;
    }
    if (cursor_row >= VGA_ROWS)
        vga_scroll();
}

/* Moving the hardware cursor costs four port writes, each a VM exit in an
 * emulator: the console does it once per message, not per character. */
void vga_sync_cursor(void)
{
    vga_move_cursor();
}
