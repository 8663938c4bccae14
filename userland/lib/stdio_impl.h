/*
 * stdio_impl.h -- what a FILE is, for the stdio files of the libc only.
 *
 * One buffer serves one direction at a time: a stream that is reading
 * holds input in buf[rpos..rend); one that is writing holds output in
 * buf[0..wlen). Switching direction first empties the buffer (writes the
 * output out, or gives the unread input back with lseek).
 */
#ifndef USER_STDIO_IMPL_H
#define USER_STDIO_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* FILE.flags */
#define FILE_READ      0x01     /* opened for reading */
#define FILE_WRITE     0x02     /* opened for writing */
#define FILE_EOF       0x04     /* a read met end of file (feof) */
#define FILE_ERROR     0x08     /* a read or write failed (ferror) */
#define FILE_OWN_BUF   0x10     /* buf was malloc'd here: free it */
#define FILE_TTY_MODE  0x20     /* mode not chosen yet: line if a tty, else full */
#define FILE_STATIC    0x40     /* stdin, stdout, stderr: never freed */

struct FILE {
    int fd;
    unsigned flags;
    int mode;                   /* _IOFBF, _IOLBF or _IONBF */
    unsigned char *buf;         /* NULL until the first read or write */
    size_t size;                /* of buf */
    size_t rpos, rend;          /* reading: the unread input */
    size_t wlen;                /* writing: the unwritten output */
    int ungot;                  /* ungetc's character, or EOF */
    unsigned char one;          /* the buffer of an unbuffered stream */
    FILE *next;                 /* every open stream, for fflush(NULL) */
};

/* file.c: the buffer and the direction. Each returns false with the
 * error flag set if the stream cannot do it. */
bool file_start_reading(FILE *f);
bool file_start_writing(FILE *f);
/* One read() into p for f, first flushing line-buffered output if f is
 * not fully buffered; sets the EOF or error flag. read()'s result. */
long file_read_raw(FILE *f, void *p, size_t n);
/* Reads the next bufferful: the count, 0 at end of file (EOF flag set)
 * or -1 on an error (error flag set). */
long file_fill(FILE *f);
/* Writes buf[0..wlen) out; false (error flag set) if a write failed. */
bool file_flush_output(FILE *f);
/* Writes n bytes through f's buffer, flushing as f's mode says; returns
 * how many were taken (n unless an error). */
size_t file_write(FILE *f, const unsigned char *p, size_t n);

#endif
