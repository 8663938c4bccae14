/*
 * socket.c -- the socket calls and poll (sys/socket.h, poll.h, tpnet.h).
 *
 * One kernel call each, as syscalls.c's; send/recv are sendto/recvfrom
 * without an address and accept is accept4 without flags, as in Linux.
 * sendto and recvfrom have six arguments: the last two travel in a
 * struct sock_addrarg that the fifth register points at (socket.h).
 */
#if LAB >= 6
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <syscall.h>
#include <tidepool.h>
#include <tpnet.h>

#include "libc.h"

static long sock_call(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return sys_result(libc_syscall(nr, a1, a2, a3, a4, a5));
}

int socket(int domain, int type, int protocol)
{
    return (int)sock_call(SYS_socket, domain, type, protocol, 0, 0);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return (int)sock_call(SYS_bind, fd, user_arg(addr), (long)len, 0, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    return (int)sock_call(SYS_connect, fd, user_arg(addr), (long)len, 0, 0);
}

int listen(int fd, int backlog)
{
    return (int)sock_call(SYS_listen, fd, backlog, 0, 0, 0);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    return (int)sock_call(SYS_accept4, fd, user_arg(addr), user_arg(len), flags, 0);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return accept4(fd, addr, len, 0);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    return (int)sock_call(SYS_getsockname, fd, user_arg(addr), user_arg(len), 0, 0);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    return (int)sock_call(SYS_getpeername, fd, user_arg(addr), user_arg(len), 0, 0);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    struct sock_addrarg a = {.addr = (uint32_t)user_arg(to), .len = tolen};
    return sock_call(SYS_sendto, fd, user_arg(buf), (long)n, flags, user_arg(&a));
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    struct sock_addrarg a = {.addr = (uint32_t)user_arg(from),
                             .len = (uint32_t)user_arg(fromlen)};
    return sock_call(SYS_recvfrom, fd, user_arg(buf), (long)n, flags, user_arg(&a));
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    return sendto(fd, buf, n, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    return recvfrom(fd, buf, n, flags, NULL, NULL);
}

int shutdown(int fd, int how)
{
    return (int)sock_call(SYS_shutdown, fd, how, 0, 0, 0);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    return (int)sock_call(SYS_setsockopt, fd, level, name, user_arg(val), (long)len);
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    return (int)sock_call(SYS_getsockopt, fd, level, name, user_arg(val), user_arg(len));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    return (int)sock_call(SYS_poll, user_arg(fds), (long)nfds, timeout_ms, 0, 0);
}

int netstat_get(struct netstat_info *ni)
{
    return (int)sock_call(SYS_netstat, user_arg(ni), (long)sizeof *ni, 0, 0, 0);
}
#endif /* LAB >= 6 */
