/*
 * pipe.h -- pipes: a bounded buffer of TP_PIPE_BUF bytes between a read
 * end and a write end.
 *
 * read() takes what is there (at least one byte) or blocks; it returns 0
 * once every write end is closed and the buffer is empty. write() blocks
 * while the buffer is full; a write of up to TP_PIPE_BUF bytes goes in
 * whole, never interleaved with another writer's. When every read end is
 * closed, write() returns -EPIPE and the writer gets SIGPIPE (it ends,
 * unless it ignores SIGPIPE). A blocked read or write returns -EINTR when
 * its process is being killed.
 *
 * The ends are counted by open files (struct file), so dup, fork, close
 * and exit keep the counts right through the files' own references.
 */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#if LAB >= 4
struct file;

/* A new pipe: *rd reads, *wr writes. 0 or -ENOMEM. */
int pipe_create(struct file **rd, struct file **wr);
#endif /* LAB >= 4 */

#endif
