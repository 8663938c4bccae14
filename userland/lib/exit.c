/*
 * exit.c -- atexit() and exit(): what a C program does on its way out.
 *
 * exit(status) runs the atexit handlers, last registered first, then
 * writes out every stdio stream's buffered output, then ends the process
 * with _exit(). A handler that calls exit() again does not run the
 * handlers again (it would recurse forever): the second exit() just
 * flushes and leaves.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "libc.h"

static void (*handlers[ATEXIT_MAX])(void);
static int registered;
static bool exiting;

int atexit(void (*fn)(void))
{
    if (registered == ATEXIT_MAX)
        return -1;
    handlers[registered++] = fn;
    return 0;
}

void exit(int status)
{
    if (!exiting) {
        exiting = true;
        while (registered > 0)
            handlers[--registered]();  /* pops first: a handler may exit() */
    }
    stdio_flush_all();
    _exit(status);
}
