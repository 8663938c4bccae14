/* socket_file.c -- a socket as an open file (socket_file.h). User memory
 * moves through a kernel buffer here, outside net_lock (stack.h). */
#if LAB >= 6
#include "net/socket_file.h"
#include "net/socket.h"
#include "fs/file.h"
#include "proc/process.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/socket.h"
#include "abi/stat.h"
#include "abi/wait.h"
#include <string.h>

/* EPIPE also raises SIGPIPE, as for a pipe (POSIX send()), unless
 * MSG_NOSIGNAL. Called with no lock held (proc_kill takes proc's). */
static int32_t broken_connection(int flags)
{
    struct process *me = proc_current();
    if (me != NULL && !(flags & MSG_NOSIGNAL))
        proc_kill(me->pid, SIGPIPE);
    return -EPIPE;
}

int32_t socket_send_user(struct socket *s, uint32_t ubuf, uint32_t n, int flags, bool has_to,
                         uint32_t to_ip, uint16_t to_port)
{
    char chunk[SOCK_CHUNK];
    if ((int32_t)n < 0)
        return -EINVAL;
    if (!user_range_ok(ubuf, n))
        return -EFAULT;
    if (s->type == SOCK_DGRAM) {
        /* One datagram: whole or not at all. */
        if (n > SOCK_CHUNK)
            return -EMSGSIZE;
        if (copyin(chunk, ubuf, n) != 0)
            return -EFAULT;
        int r = sock_sendto(s, chunk, n, flags, has_to, to_ip, to_port);
        return r == -EPIPE ? broken_connection(flags) : r;
    }
    uint32_t done = 0;
    int r = 0;
    while (done < n) {
        uint32_t want = n - done < SOCK_CHUNK ? n - done : SOCK_CHUNK;
        if (copyin(chunk, ubuf + done, want) != 0) {
            r = -EFAULT;
            break;
        }
        r = sock_sendto(s, chunk, want, flags, false, 0, 0);
        if (r < 0)
            break;
        done += (uint32_t)r;
        if ((uint32_t)r < want)
            break;              /* non-blocking and full */
    }
    if (done > 0)
        return (int32_t)done;
    return r == -EPIPE ? broken_connection(flags) : r;
}

int32_t socket_recv_user(struct socket *s, uint32_t ubuf, uint32_t n, int flags,
                         uint32_t *from_ip, uint16_t *from_port)
{
    char chunk[SOCK_CHUNK];
    if ((int32_t)n < 0)
        return -EINVAL;
    if (!user_range_ok(ubuf, n))
        return -EFAULT;
    uint32_t done = 0;
    do {
        uint32_t want = n - done < SOCK_CHUNK ? n - done : SOCK_CHUNK;
        /* After the first piece only what is there already: a stream
         * recv returns what has arrived, it does not wait for n bytes. */
        int r = sock_recvfrom(s, chunk, want, done > 0 ? flags | MSG_DONTWAIT : flags,
                              from_ip, from_port);
        if (r < 0)
            return done > 0 ? (int32_t)done : r;
        if (r > 0 && copyout(ubuf + done, chunk, (size_t)r) != 0)
            return -EFAULT;
        done += (uint32_t)r;
        if ((uint32_t)r < want || s->type == SOCK_DGRAM)
            break;              /* all there is, or one whole datagram */
    } while (done < n);
    return (int32_t)done;
}

int32_t socket_read(struct file *f, uint32_t ubuf, uint32_t n)
{
    uint32_t ip;
    uint16_t port;
    return socket_recv_user(f->sock, ubuf, n, 0, &ip, &port);
}

int32_t socket_write(struct file *f, uint32_t ubuf, uint32_t n)
{
    return socket_send_user(f->sock, ubuf, n, 0, false, 0, 0);
}

static void socket_stat(struct file *f, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFSOCK | 0777;
    st->st_nlink = 1;
    (void)f;
}

static unsigned socket_poll(struct file *f)
{
    return sock_poll(f->sock);
}

static void socket_release(struct file *f)
{
    sock_release(f->sock);
    f->sock = NULL;
}

const struct file_ops socket_file_ops = {
    .stat = socket_stat,
    .poll = socket_poll,
    .release = socket_release,
};
#endif /* LAB >= 6 */
