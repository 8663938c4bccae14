/* doublefault.h -- surviving a kernel stack overflow long enough to say so. */
#ifndef ARCH_I386_DOUBLEFAULT_H
#define ARCH_I386_DOUBLEFAULT_H

#if LAB >= 3
/* Install the double-fault task (after paging_init: it needs CR3). */
void doublefault_init(void);
#endif

#endif
