/*
 * rmdir.c -- remove empty directories.
 *
 *     rmdir DIR...
 *
 * Errors: "rmdir: DIR: <why>" on stderr (Directory not empty, Not a
 * directory, No such file or directory, ...), the other DIRs are still
 * removed, and rmdir exits 1; "usage: rmdir DIR..." and exit 1 for no
 * DIR. Not done: -p.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int status = 0;

    if (argc < 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
        fprintf(stderr, "usage: rmdir DIR...\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (rmdir(argv[i]) < 0) {
            fprintf(stderr, "rmdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
