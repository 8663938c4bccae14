/*
 * poll.h -- poll()'s struct and event bits (Linux's values).
 *
 * poll(fds, nfds, timeout_ms) waits until one of the nfds descriptors is
 * ready for what its events ask, or timeout_ms passes (-1: forever, 0:
 * just look). It works on sockets, pipes and the console. POLLERR,
 * POLLHUP and POLLNVAL are reported whether asked for or not.
 */
#ifndef ABI_POLL_H
#define ABI_POLL_H

#if LAB >= 6
#define POLLIN      0x001       /* data to read (or a connection to accept, or EOF) */
#define POLLPRI     0x002       /* never set: no urgent data */
#define POLLOUT     0x004       /* writing would not block */
#define POLLERR     0x008       /* an error is pending (connection refused, reset) */
#define POLLHUP     0x010       /* the other end is gone */
#define POLLNVAL    0x020       /* fd is not open */
#define POLLRDNORM  0x040
#define POLLWRNORM  0x100

typedef unsigned int nfds_t;

struct pollfd {
    int fd;
    short events;               /* what the caller waits for */
    short revents;              /* what is true (filled by the kernel) */
};

#define POLL_MAX_FDS 64         /* more is EINVAL */

#endif /* LAB >= 6 */

#endif
