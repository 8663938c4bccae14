/*
 * sys_socket.c -- the socket system calls: check and copy the arguments,
 * then socket.c does the work with kernel pointers (socket.h). Linux
 * i386's numbers and semantics; sendto/recvfrom's last two arguments come
 * in a struct sock_addrarg (abi/socket.h: five argument registers).
 */
#if LAB >= 6
#include "net/socket.h"
#include "net/socket_file.h"
#include "fs/file.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/socket.h"

#define SOCKOPT_MAX 16          /* the largest option value (struct timeval is 8) */

/* The socket behind fd, with a file reference the caller puts. */
static struct file *sock_file(uint32_t fd, int32_t *err)
{
    struct file *f = file_acquire(proc_current(), (int)fd);
    *err = f == NULL ? -EBADF : f->kind != FILE_SOCKET ? -ENOTSOCK : 0;
    if (*err != 0 && f != NULL) {
        file_put(f);
        f = NULL;
    }
    return f;
}

static uint16_t be16_to_host(uint16_t v)
{
    return (uint16_t)((v << 8) | (v >> 8));
}

/* A user struct sockaddr_in -> host-order address and port. */
static int32_t read_sockaddr(uint32_t uaddr, uint32_t len, uint32_t *ip, uint16_t *port)
{
    struct sockaddr_in sin;
    if (len < sizeof sin)
        return -EINVAL;
    if (copyin(&sin, uaddr, sizeof sin) != 0)
        return -EFAULT;
    if (sin.sin_family != AF_INET)
        return -EAFNOSUPPORT;
    *ip = __builtin_bswap32(sin.sin_addr.s_addr);
    *port = be16_to_host(sin.sin_port);
    return 0;
}

/* Host-order address -> the user's buffer (uaddr, *ulen in/out), cut to
 * its room as POSIX says. uaddr 0: the caller does not want it. */
static int32_t write_sockaddr(uint32_t uaddr, uint32_t ulen, uint32_t ip, uint16_t port)
{
    if (uaddr == 0)
        return 0;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = be16_to_host(port),
                              .sin_addr = {__builtin_bswap32(ip)}};
    uint32_t room;
    if (ulen == 0 || copyin(&room, ulen, sizeof room) != 0)
        return -EFAULT;
    if ((int32_t)room < 0)
        return -EINVAL;
    uint32_t n = room < sizeof sin ? room : sizeof sin;
    uint32_t full = sizeof sin;
    if (copyout(uaddr, &sin, n) != 0 || copyout(ulen, &full, sizeof full) != 0)
        return -EFAULT;
    return 0;
}

/* A new file for s at the lowest free descriptor. */
static int32_t install_socket(struct socket *s, int flags)
{
    struct file *f = file_alloc(FILE_SOCKET, &socket_file_ops, O_RDWR);
    if (f == NULL) {
        sock_release(s);
        return -ENOMEM;
    }
    f->sock = s;
    s->nonblock = (flags & SOCK_NONBLOCK) != 0;
    return fd_install(proc_current(), f, (flags & SOCK_CLOEXEC) != 0);
}

int32_t sys_socket(uint32_t domain, uint32_t type, uint32_t proto, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    if (domain != AF_INET)
        return -EAFNOSUPPORT;
    int flags = (int)type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    struct socket *s;
    int err = sock_create((int)type & ~flags, (int)proto, &s);
    return err != 0 ? err : install_socket(s, flags);
}

int32_t sys_bind(uint32_t fd, uint32_t uaddr, uint32_t len, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    uint32_t ip;
    uint16_t port;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    err = read_sockaddr(uaddr, len, &ip, &port);
    if (err == 0)
        err = sock_bind(f->sock, ip, port);
    file_put(f);
    return err;
}

int32_t sys_connect(uint32_t fd, uint32_t uaddr, uint32_t len, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    uint32_t ip;
    uint16_t port;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    err = read_sockaddr(uaddr, len, &ip, &port);
    if (err == 0)
        err = sock_connect(f->sock, ip, port);
    file_put(f);
    return err;
}

int32_t sys_listen(uint32_t fd, uint32_t backlog, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    err = sock_listen(f->sock, (int)backlog);
    file_put(f);
    return err;
}

int32_t sys_accept4(uint32_t fd, uint32_t uaddr, uint32_t ulen, uint32_t flags, uint32_t a5)
{
    (void)a5;
    int32_t err;
    if (flags & ~(uint32_t)(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    /* Check the address buffers before a connection is taken: after,
     * a fault would lose it. */
    if (uaddr != 0 && (!user_range_ok(ulen, sizeof(uint32_t)) || ulen == 0))
        return -EFAULT;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    struct socket *child;
    err = sock_accept(f->sock, &child);
    file_put(f);
    if (err != 0)
        return err;
    uint32_t ip = 0;
    uint16_t port = 0;
    sock_getname(child, true, &ip, &port);
    int32_t nfd = install_socket(child, (int)flags);
    if (nfd >= 0 && (err = write_sockaddr(uaddr, ulen, ip, port)) != 0) {
        file_close(proc_current(), nfd);
        return err;
    }
    return nfd;
}

static int32_t get_name(uint32_t fd, uint32_t uaddr, uint32_t ulen, bool peer)
{
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    uint32_t ip;
    uint16_t port;
    err = sock_getname(f->sock, peer, &ip, &port);
    file_put(f);
    if (err == 0)
        err = uaddr == 0 ? -EFAULT : write_sockaddr(uaddr, ulen, ip, port);
    return err;
}

int32_t sys_getsockname(uint32_t fd, uint32_t uaddr, uint32_t ulen, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    return get_name(fd, uaddr, ulen, false);
}

int32_t sys_getpeername(uint32_t fd, uint32_t uaddr, uint32_t ulen, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    return get_name(fd, uaddr, ulen, true);
}

int32_t sys_sendto(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t flags, uint32_t uarg)
{
    struct sock_addrarg arg = {0, 0};
    if (uarg != 0 && copyin(&arg, uarg, sizeof arg) != 0)
        return -EFAULT;
    int32_t err;
    uint32_t ip = 0;
    uint16_t port = 0;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    if (arg.addr != 0)
        err = read_sockaddr(arg.addr, arg.len, &ip, &port);
    if (err == 0)
        err = socket_send_user(f->sock, ubuf, n, (int)flags, arg.addr != 0, ip, port);
    file_put(f);
    return err;
}

int32_t sys_recvfrom(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t flags, uint32_t uarg)
{
    struct sock_addrarg arg = {0, 0};
    if (uarg != 0 && copyin(&arg, uarg, sizeof arg) != 0)
        return -EFAULT;
    if (arg.addr != 0 && (arg.len == 0 || !user_range_ok(arg.len, sizeof(uint32_t))))
        return -EFAULT;
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    uint32_t ip = 0;
    uint16_t port = 0;
    int32_t got = socket_recv_user(f->sock, ubuf, n, (int)flags, &ip, &port);
    file_put(f);
    if (got >= 0 && (err = write_sockaddr(arg.addr, arg.len, ip, port)) != 0)
        return err;
    return got;
}

int32_t sys_shutdown(uint32_t fd, uint32_t how, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    err = sock_shutdown(f->sock, (int)how);
    file_put(f);
    return err;
}

int32_t sys_setsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t uval, uint32_t len)
{
    uint8_t val[SOCKOPT_MAX];
    uint32_t n = len < SOCKOPT_MAX ? len : SOCKOPT_MAX;
    if ((int32_t)len < 0)
        return -EINVAL;
    if (copyin(val, uval, n) != 0)
        return -EFAULT;
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    err = sock_setsockopt(f->sock, (int)level, (int)name, val, n);
    file_put(f);
    return err;
}

int32_t sys_getsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t uval, uint32_t ulen)
{
    uint8_t val[SOCKOPT_MAX];
    uint32_t len;
    if (copyin(&len, ulen, sizeof len) != 0)
        return -EFAULT;
    if ((int32_t)len < 0)
        return -EINVAL;
    int32_t err;
    struct file *f = sock_file(fd, &err);
    if (f == NULL)
        return err;
    uint32_t room = len < SOCKOPT_MAX ? len : SOCKOPT_MAX;
    err = sock_getsockopt(f->sock, (int)level, (int)name, val, &room);
    file_put(f);
    if (err == 0 && (copyout(uval, val, room) != 0 || copyout(ulen, &room, sizeof room) != 0))
        err = -EFAULT;
    return err;
}
#endif /* LAB >= 6 */
