/*
 * lab.h -- helpers for the holes students fill in.
 *
 * Each lab exercise is a region `#if SOLVED >= n ... #else stub #endif`.
 * The stub compiles, keeps the kernel booting where it can, and says
 * loudly which exercise is missing, so a student never wonders why a test
 * fails. LAB and SOLVED come from the Makefile (`make LAB=n SOLVED=m`).
 */
#ifndef LAB_H
#define LAB_H

#include "console.h"

#if !defined(LAB) || !defined(SOLVED)
#error "LAB and SOLVED must be defined (the Makefile passes -DLAB=n -DSOLVED=m)"
#endif

/* Print "LAB n exercise m: what is missing" on the console. The numbers
 * are pasted in as text: printing numbers is itself lab 1's exercise 1. */
#define LAB_TODO(lab, exercise, what)                                             \
    kprintf("LAB " #lab " exercise " #exercise ": " what                         \
            " is not written yet (see labs/0" #lab "-*/README.md)\n")

/* The same, printed only the first time (for stubs on hot paths, such as
 * an interrupt handler, which would otherwise flood the console). */
#define LAB_TODO_ONCE(lab, exercise, what)                                        \
    do {                                                                          \
        static int told_;                                                         \
        if (!told_++)                                                             \
            LAB_TODO(lab, exercise, what);                                        \
    } while (0)

#endif
