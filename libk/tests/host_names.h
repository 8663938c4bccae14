/*
 * host_names.h -- rename libk's libc-named symbols for the host build.
 *
 * On the host, libk's memcpy, snprintf, ... would collide with glibc's,
 * which the test binary (and ASan, and Criterion) also uses.  So the
 * host build compiles every libk source with `-include` of this file:
 * the macros below turn each such name into libk_NAME, and the objects
 * define libk_memcpy, libk_snprintf, ...  See the top of libk/libk.mk.
 *
 * Tests include it through libk_test.h, which then includes a generated
 * header that #undefs the renames again (one line per "#define X libk_X"
 * line here), so that a test can call both libk_snprintf and glibc's
 * snprintf.  The exception, marked "stays renamed": assert() expands to
 * __assert_fail in test code too, and that must still reach libk's.
 *
 * No include guard: the #undef lines must also run after a glibc header
 * that defined one of these names as a macro (glibc's ctype.h does).
 * Add a line here for every new libk function whose name libc also uses.
 */

/* string.h */
#undef memcpy
#define memcpy libk_memcpy
#undef memmove
#define memmove libk_memmove
#undef memset
#define memset libk_memset
#undef memcmp
#define memcmp libk_memcmp
#undef memchr
#define memchr libk_memchr
#undef strlen
#define strlen libk_strlen
#undef strnlen
#define strnlen libk_strnlen
#undef strcmp
#define strcmp libk_strcmp
#undef strncmp
#define strncmp libk_strncmp
#undef strchr
#define strchr libk_strchr
#undef strrchr
#define strrchr libk_strrchr
#undef strstr
#define strstr libk_strstr
#undef strspn
#define strspn libk_strspn
#undef strcspn
#define strcspn libk_strcspn
#undef strcpy
#define strcpy libk_strcpy
#undef strncpy
#define strncpy libk_strncpy
#undef strlcpy
#define strlcpy libk_strlcpy
#undef strcat
#define strcat libk_strcat

/* ctype.h */
#undef isdigit
#define isdigit libk_isdigit
#undef isupper
#define isupper libk_isupper
#undef islower
#define islower libk_islower
#undef isalpha
#define isalpha libk_isalpha
#undef isalnum
#define isalnum libk_isalnum
#undef isxdigit
#define isxdigit libk_isxdigit
#undef isspace
#define isspace libk_isspace
#undef iscntrl
#define iscntrl libk_iscntrl
#undef isprint
#define isprint libk_isprint
#undef isgraph
#define isgraph libk_isgraph
#undef ispunct
#define ispunct libk_ispunct
#undef toupper
#define toupper libk_toupper
#undef tolower
#define tolower libk_tolower

/* stdio.h */
#undef vsnprintf
#define vsnprintf libk_vsnprintf
#undef snprintf
#define snprintf libk_snprintf

/* stdlib.h */
#undef strtol
#define strtol libk_strtol
#undef strtoul
#define strtoul libk_strtoul
#undef atoi
#define atoi libk_atoi

/* assert.h */
#undef __assert_fail
#define __assert_fail libk___assert_fail /* stays renamed in tests */
