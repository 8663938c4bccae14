/* errno.h -- error numbers (Linux's values, so that tools read them). */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

#define EPERM    1      /* operation not permitted */
#define ENOENT   2      /* no such file or directory */
#define ESRCH    3      /* no such process */
#define EINTR    4      /* interrupted */
#define EIO      5      /* input/output error */
#define E2BIG    7      /* argument list too long */
#define ENOEXEC  8      /* not an executable this kernel can run */
#define EBADF    9      /* bad file descriptor */
#define ECHILD  10      /* no child to wait for */
#define EAGAIN  11      /* try again (a limit was reached) */
#define ENOMEM  12      /* out of memory */
#define EACCES  13      /* permission denied */
#define EFAULT  14      /* bad address: a pointer outside the caller's memory */
#define EEXIST  17      /* file exists */
#define ENOTDIR 20      /* not a directory */
#define EISDIR  21      /* is a directory */
#define EINVAL  22      /* invalid argument */
#define EMFILE  24      /* too many open files */
#define ENOTTY  25      /* not a terminal */
#define ENOSPC  28      /* no space left */
#define ESPIPE  29      /* seek on a pipe */
#define EROFS   30      /* read-only file system */
#define EPIPE   32      /* the reader of a pipe is gone */
#define ERANGE  34      /* result out of range */
#define ENAMETOOLONG 36 /* file name too long */
#define ENOSYS  38      /* no such system call */
#define ENOTEMPTY 39    /* directory not empty */
#define EADDRINUSE   98  /* the port is taken */
#define ECONNRESET  104  /* the peer reset the connection */
#define ENOBUFS     105  /* no connection block or buffer left */
#define ENOTCONN    107  /* not connected */
#define ETIMEDOUT   110  /* the peer stopped answering */
#define ECONNREFUSED 111 /* nobody listens on that port */

#if LAB >= 6
/* The socket calls' errors (lab 6). */
#define EWOULDBLOCK EAGAIN /* the socket's name for "try again" */
#define ENOTSOCK     88  /* a socket call on a descriptor that is not a socket */
#define EDESTADDRREQ 89  /* send on an unconnected datagram socket without an address */
#define EMSGSIZE     90  /* datagram too long */
#define EPROTOTYPE   91  /* protocol wrong for the socket type */
#define ENOPROTOOPT  92  /* socket option not known */
#define EPROTONOSUPPORT 93 /* protocol not supported */
#define EOPNOTSUPP   95  /* operation not supported on this socket */
#define EAFNOSUPPORT 97  /* address family not supported (only AF_INET) */
#define EADDRNOTAVAIL 99 /* the address is not one of ours */
#define ENETUNREACH 101  /* no interface, or no address yet */
#define ECONNABORTED 103 /* the connection was aborted before accept */
#define EISCONN     106  /* already connected */
#define EHOSTUNREACH 113 /* no route to the host (ARP got no answer) */
#define EALREADY    114  /* a connect is already in progress */
#define EINPROGRESS 115  /* non-blocking connect: the handshake goes on */
#endif

#endif
