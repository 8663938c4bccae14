/*
 * poll.h -- waiting on several descriptors at once (the user libc).
 *
 * struct pollfd and the POLL* bits are the kernel's (kernel/abi/poll.h).
 * Works on sockets, pipes and the console.
 */
#ifndef USER_POLL_H
#define USER_POLL_H

#if LAB >= 6
/* The next poll.h on the include path: kernel/abi's. */
#include_next <poll.h>

/* timeout_ms: -1 waits forever, 0 only looks. -> how many fds have a
 * nonzero revents, 0 on timeout, -1 and errno on error. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#endif /* LAB >= 6 */

#endif
