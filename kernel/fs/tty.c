/* tty.c -- the console as a file (tty.h). */
#if LAB >= 4
#include "fs/tty.h"
#include "abi/errno.h"
#include "console.h"

/* A line from the keyboard or serial port, echoed as it is typed, with
 * backspace; Ctrl-D on an empty line is the end of input (0). */
int tty_read(char *buf, size_t n)
{
    size_t len = 0;
    while (len < n) {
        int c = console_getc_blocking();
        if (c < 0)
            return -EINTR;
        if (c == '\r')
            c = '\n';
        if (c == 4 && len == 0)         /* Ctrl-D */
            return 0;
        if (c == '\b' || c == 0x7F) {
            if (len > 0) {
                len--;
                console_write("\b \b", 3);
            }
            continue;
        }
        char ch = (char)c;
        console_write(&ch, 1);
        buf[len++] = ch;
        if (ch == '\n')
            break;
    }
    return (int)len;
}

int tty_write(const char *buf, size_t n)
{
    console_write(buf, n);
    return (int)n;
}
#endif /* LAB >= 4 */
