/*
 * auxv.h -- the auxiliary vector: facts the kernel hands a new program.
 *
 * execve() leaves on the new user stack, from esp up:
 *     argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv pairs, AT_NULL 0
 * then the strings. Each pair is (type, value).
 */
#ifndef ABI_AUXV_H
#define ABI_AUXV_H

#define AT_NULL      0      /* the end of the vector */
#define AT_PAGESZ    6      /* the page size: 4096 */
#define AT_SYSENTER  0x7401 /* 1 if the kernel takes system calls by sysenter */

#endif
