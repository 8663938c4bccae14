/*
 * dirent.h -- what getdents() returns: fixed-size records, one per
 * directory entry ("." and ".." included), so that the caller can step
 * through the buffer with an array index.
 */
#ifndef ABI_DIRENT_H
#define ABI_DIRENT_H

#define NAME_MAX 58             /* bytes of a file name, without the NUL */

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8

struct dirent {
    unsigned int d_ino;
    unsigned char d_type;       /* DT_* */
    char d_name[NAME_MAX + 1];  /* NUL-terminated; the record is 64 bytes */
};

#endif
