/*
 * rlimit.h -- the resource limits every process lives under. Fixed at
 * build time (there is no setrlimit): tests and programs read them here.
 * Reaching one is an error code, never a panic: fork() and
 * thread_create() get EAGAIN, open()/dup()/pipe() get EMFILE, sbrk() gets ENOMEM and a page fault
 * beyond the memory cap ends the process with SIGKILL.
 */
#ifndef ABI_RLIMIT_H
#define ABI_RLIMIT_H

#define TP_PROC_MAX     64      /* processes alive or zombie, init included */
#define TP_THREAD_MAX   16      /* threads per process, the first included */
#define TP_OPEN_MAX     16      /* descriptors per process */
#define TP_MEM_MAX      (32u << 20) /* bytes of user memory per process */
#define TP_PATH_MAX     256     /* bytes of a path, the NUL included */
#define TP_PIPE_BUF     4096    /* bytes a pipe holds; writes this size or less are atomic */

#endif
