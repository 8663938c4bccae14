/*
 * socket_file.h -- a socket as an open file (FILE_SOCKET): what read(),
 * write(), fstat(), poll() and the last close() do with it.
 */
#ifndef NET_SOCKET_FILE_H
#define NET_SOCKET_FILE_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>

struct file;
struct socket;

extern const struct file_ops socket_file_ops;

/* read() and write() on a socket: recv() and send() without flags (user
 * buffer, already range-checked by sys_read/sys_write). */
int32_t socket_read(struct file *f, uint32_t ubuf, uint32_t n);
int32_t socket_write(struct file *f, uint32_t ubuf, uint32_t n);
/* recv/send with flags, and for sendto/recvfrom: the address (host
 * order) to send to (has_to) or of the sender. */
int32_t socket_send_user(struct socket *s, uint32_t ubuf, uint32_t n, int flags, bool has_to,
                         uint32_t to_ip, uint16_t to_port);
int32_t socket_recv_user(struct socket *s, uint32_t ubuf, uint32_t n, int flags,
                         uint32_t *from_ip, uint16_t *from_port);
#endif /* LAB >= 6 */

#endif
