/*
 * host_libc_names.h -- rename the libc's stdio, exit, getopt and string
 * extras for the host tests, and send its system calls to test doubles.
 *
 * userland.mk compiles those lib/ files (and libk's formatter) for the
 * host against the libc's own headers (-nostdinc), with `-include` of
 * this file: their public names become user_NAME, so that they do not
 * replace glibc's (which Criterion and ASan use), and the system calls
 * they make (read, write, ...) become fake_NAME, which
 * tests/host/fake_fd.c defines over an in-memory table of files. The
 * test files include this too, then the libc's stdio.h by path, so that
 * they call the code under test with the libc's own declarations.
 */
#ifndef HOST_LIBC_NAMES_H
#define HOST_LIBC_NAMES_H

/* stdio */
#define FILE user_FILE
#define stdin user_stdin
#define stdout user_stdout
#define stderr user_stderr
#define fopen user_fopen
#define fdopen user_fdopen
#define fclose user_fclose
#define fflush user_fflush
#define setvbuf user_setvbuf
#define setbuf user_setbuf
#define fileno user_fileno
#define fseek user_fseek
#define ftell user_ftell
#define rewind user_rewind
#define feof user_feof
#define ferror user_ferror
#define clearerr user_clearerr
#define fgetc user_fgetc
#define getc user_getc
#define getchar user_getchar
#define ungetc user_ungetc
#define fgets user_fgets
#define getline user_getline
#define getdelim user_getdelim
#define fread user_fread
#define fputc user_fputc
#define putc user_putc
#define putchar user_putchar
#define fputs user_fputs
#define puts user_puts
#define fwrite user_fwrite
#define printf user_printf
#define fprintf user_fprintf
#define vprintf user_vprintf
#define vfprintf user_vfprintf
#define dprintf user_dprintf
#define vdprintf user_vdprintf
#define sprintf user_sprintf
#define vsprintf user_vsprintf
#define snprintf user_snprintf
#define vsnprintf user_vsnprintf
#define vformat user_vformat
#define perror user_perror
#define rename user_rename
#define stdio_flush_all user_stdio_flush_all

/* stdlib, unistd, string */
#define exit user_exit
#define atexit user_atexit
#define getopt user_getopt
#define optarg user_optarg
#define optind user_optind
#define opterr user_opterr
#define optopt user_optopt
#define qsort user_qsort
#define abs user_abs
#define labs user_labs
#define strdup user_strdup
#define strndup user_strndup
#define strcasecmp user_strcasecmp
#define strncasecmp user_strncasecmp
#define strtok user_strtok
#define strtok_r user_strtok_r
#define strerror user_strerror
#define strerrorname_np user_strerrorname_np
#define sleep user_sleep
#define usleep user_usleep
#define msleep user_msleep
#define ticks_per_second user_ticks_per_second

/* What the code under test calls: the doubles of tests/host/fake_fd.c.
 * Only inside the code under test (userland.mk defines HOST_LIBC_UNDER_TEST
 * there): the tests themselves keep glibc's errno and system calls. */
#ifdef HOST_LIBC_UNDER_TEST
#define read fake_read
#define write fake_write
#define lseek fake_lseek
#define open fake_open
#define close fake_close
#define isatty fake_isatty
#define _exit fake__exit
#define errno fake_errno         /* defined by strerror.c, as in the libc */
#define sleep_ticks fake_sleep_ticks
#define getauxval fake_getauxval
#endif

#endif
