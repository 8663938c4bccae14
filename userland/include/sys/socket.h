/*
 * sys/socket.h -- BSD sockets (the user libc).
 *
 * Constants and structs are the kernel's (kernel/abi/socket.h); only
 * AF_INET. Sockets are file descriptors: read, write, close, dup, fork
 * and poll work on them too.
 */
#ifndef USER_SYS_SOCKET_H
#define USER_SYS_SOCKET_H

#if LAB >= 6
#include <sys/types.h>
#include <socket.h>     /* kernel/abi */

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen);
int shutdown(int fd, int how);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);

#endif /* LAB >= 6 */

#endif
