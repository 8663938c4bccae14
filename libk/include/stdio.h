/*
 * stdio.h -- formatted output (libk).
 *
 * There is one formatter, vformat(); everything printf-like is built on
 * it by choosing where the characters go.  The kernel's console printf
 * passes an emit function that writes to the screen and serial port;
 * vsnprintf passes one that fills a buffer.
 *
 * Supported conversion specifications, as in C99:
 *   %[flags][width][.precision][length]conversion
 *   flags      - (left-justify)  0 (pad numbers with zeros)
 *              + (sign always)   space (space for +)   # (0x / leading 0)
 *   width      digits or * (an int argument; negative means '-' flag)
 *   precision  .digits or .* (negative means none): minimum digits for
 *              integers, maximum bytes for %s; ignored for %c
 *   length     hh h l ll z t j
 *   conversion d i u o x X c s p %
 * Tidepool's definitions where C leaves the choice to the library:
 *   %p   prints "0x" and the address in lower-case hex, also for NULL
 *        ("0x0"; glibc prints "(nil)").  Width, '-', '0' and precision
 *        work as for %#x.
 *   %s   with a NULL pointer prints "(null)" (cut by a precision as
 *        any string would be).
 *   %%   prints '%'; flags or width in between are ignored.
 *   Flags that mean nothing for a conversion are ignored ('0' for %s,
 *   '#' for %d, '+' for %u, ...).  An unknown conversion such as %y is
 *   copied to the output as is, to make the mistake visible.
 *   Floating point (%f ...) is not supported: the kernel uses no FPU.
 *
 * Return value: the number of characters produced (for vsnprintf: the
 * length the whole output would have had), or -1 if it exceeds INT_MAX.
 */
#ifndef LIBK_STDIO_H
#define LIBK_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#include "compiler.h"

/* Receives each output character in order; ctx is passed through. */
typedef void (*format_emit_fn)(char c, void *ctx);

int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);

/*
 * Writes at most size-1 characters and a terminating NUL into buf (if
 * size > 0; with size 0, buf may be NULL and nothing is written).
 * Returns the length of the full output: a result >= size means the
 * output was truncated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif /* LIBK_STDIO_H */
