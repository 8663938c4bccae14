/*
 * exit.c -- atexit() and exit(): what a C program does on its way out.
 *
 * exit(status) runs the atexit handlers, last registered first, then
 * writes out every stdio stream's buffered output, then ends the process
 * with _exit(). Each handler is taken off the list before it runs, so a
 * handler that calls exit() again (C leaves that undefined) goes on with
 * the handlers not yet run, as glibc does, instead of recursing forever.
 */
#include <stdlib.h>
#include <unistd.h>

#include "libc.h"

static void (*handlers[ATEXIT_MAX])(void);
static int registered;

int atexit(void (*fn)(void))
{
    if (registered == ATEXIT_MAX)
        return -1;
    handlers[registered++] = fn;
    return 0;
}

void exit(int status)
{
    while (registered > 0)
        handlers[--registered]();      /* popped first: a handler may exit() */
    stdio_flush_all();
    _exit(status);
}
