/*
 * host_names.h -- rename the libc's malloc for the host tests.
 *
 * userland.mk compiles lib/malloc.c for the host with `-include` of this
 * file: its malloc, free, calloc and realloc become user_malloc, ... so
 * that they do not replace glibc's (which ASan and Criterion use), and
 * its sbrk() calls go to fake_sbrk(), which test_malloc.c defines over a
 * static arena. glibc's declarations of the same names are renamed along
 * with them, which is harmless: they have the same types. SBRK_FAILED
 * is the one name of the libc's unistd.h that glibc's lacks.
 */
#define malloc user_malloc
#define free user_free
#define calloc user_calloc
#define realloc user_realloc
#define sbrk fake_sbrk

/* What the libc's unistd.h adds to glibc's: the sbrk failure value.
 * SAFETY: integer -> pointer: only compared with, never dereferenced. */
#define SBRK_FAILED ((void *)-1)
