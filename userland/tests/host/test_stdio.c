/*
 * test_stdio.c -- the libc's buffered stdio over fake descriptors.
 *
 * file.c, fread.c, fwrite.c and printf.c run here as they do in
 * Tidepool, except that their read()s and write()s reach fake_fd.c,
 * which records every call: so the tests check when the buffers are
 * written out (how many write()s, of what size), not only what.
 * Criterion runs each test in a process of its own, so stdin, stdout
 * and stderr start fresh each time.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>

#include "host_libc.h"

static void setup(void)
{
    fake_reset();
}

TestSuite(stdio, .init = setup);

Test(stdio, tty_stdout_is_line_buffered)
{
    fake_fd[1].tty = true;
    user_printf("ab");
    cr_expect_eq(fake_fd[1].writes, 0, "nothing written before the newline");
    user_printf("c\nd");
    cr_expect_eq(fake_fd[1].writes, 1);
    cr_expect_eq(fake_fd[1].write_len[0], 4, "\"abc\\n\" in one write");
    user_fflush(user_stdout);
    cr_expect_eq(fake_fd[1].writes, 2);
    cr_expect_str_eq(fake_output(1), "abc\nd");
}

Test(stdio, line_buffered_writes_each_line_whole)
{
    fake_fd[1].tty = true;
    user_printf("one\ntwo\nthree");
    cr_expect_eq(fake_fd[1].writes, 2);
    cr_expect_eq(fake_fd[1].write_len[0], 4);
    cr_expect_eq(fake_fd[1].write_len[1], 4);
    user_puts("");
    cr_expect_str_eq(fake_output(1), "one\ntwo\nthree\n");
}

Test(stdio, pipe_stdout_is_fully_buffered)
{
    fake_fd[1].pipe = true;
    for (int i = 0; i < 100; i++)
        user_printf("line %d\n", i);     /* 790 bytes < BUFSIZ */
    cr_expect_eq(fake_fd[1].writes, 0);
    user_fflush(NULL);
    cr_expect_eq(fake_fd[1].writes, 1);
    cr_expect_eq(fake_fd[1].len, 790);
}

Test(stdio, full_buffer_is_written_when_full)
{
    fake_fd[1].pipe = true;
    for (int i = 0; i < BUFSIZ + 10; i++)
        user_putchar('x');
    cr_expect_eq(fake_fd[1].writes, 1);
    cr_expect_eq(fake_fd[1].write_len[0], BUFSIZ);
    user_fflush(user_stdout);
    cr_expect_eq(fake_fd[1].len, BUFSIZ + 10);
}

Test(stdio, large_fwrite_bypasses_the_buffer)
{
    static char big[3 * BUFSIZ];
    memset(big, 'y', sizeof big);
    fake_fd[1].pipe = true;
    cr_expect_eq(user_fwrite(big, 1, sizeof big, user_stdout), sizeof big);
    cr_expect_eq(fake_fd[1].writes, 1);
    cr_expect_eq(fake_fd[1].len, sizeof big);
}

Test(stdio, stderr_is_unbuffered_one_write_per_call)
{
    user_fprintf(user_stderr, "%s: %d things\n", "prog", 42);
    cr_expect_eq(fake_fd[2].writes, 1);
    cr_expect_str_eq(fake_output(2), "prog: 42 things\n");
    user_fputc('!', user_stderr);
    cr_expect_eq(fake_fd[2].writes, 2);
}

Test(stdio, exit_flushes_after_atexit_handlers)
{
    fake_fd[1].pipe = true;
    user_printf("before ");
    int jumped = setjmp(fake_exit_jump);
    if (jumped == 0)
        user_exit(7);
    cr_expect_eq(jumped - 1, 7);
    cr_expect_str_eq(fake_output(1), "before ");
}

static char order[8];
static void first(void)  { strcat(order, "1"); user_printf("first\n"); }
static void second(void) { strcat(order, "2"); }
static void third(void)  { strcat(order, "3"); }

Test(stdio, atexit_handlers_run_last_first_then_flush)
{
    fake_fd[1].pipe = true;
    cr_assert_eq(user_atexit(first), 0);
    cr_assert_eq(user_atexit(second), 0);
    cr_assert_eq(user_atexit(third), 0);
    if (setjmp(fake_exit_jump) == 0)
        user_exit(0);
    cr_expect_str_eq(order, "321");
    cr_expect_str_eq(fake_output(1), "first\n", "a handler's output is flushed too");
}

static void nothing(void) {}

Test(stdio, atexit_takes_at_least_32)
{
    int i;
    for (i = 0; i < 1000 && user_atexit(nothing) == 0; i++)
        ;
    cr_expect_geq(i, 32);
    cr_expect_lt(i, 1000, "atexit must say when it is full");
}

static void exits_again(void)
{
    user_exit(9);
}

Test(stdio, exit_from_a_handler_runs_the_rest_once)
{
    user_atexit(second);
    user_atexit(exits_again);
    user_atexit(third);
    int jumped = setjmp(fake_exit_jump);
    if (jumped == 0)
        user_exit(1);
    cr_expect_eq(jumped - 1, 9, "the inner exit's status");
    cr_expect_str_eq(order, "32");
}

/* fgets with a buffer size that makes lines cross both stdio's buffer
 * and the caller's: the pieces put together give the input back. */
static void read_back_with_fgets(int chunk, size_t read_max)
{
    static const char pattern[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static char input[4 * BUFSIZ];
    size_t n = 0;
    for (int line = 0; n + 300 < sizeof input - 2500; line++) {
        int len = line * 37 % 250;      /* 0 to 249 bytes, then a newline */
        for (int i = 0; i < len; i++)
            input[n++] = pattern[(line + i) % (sizeof pattern - 1)];
        input[n++] = '\n';
    }
    memset(input + n, 'L', 2500);       /* a long last line, no newline */
    input[n + 2500] = '\0';
    fake_set_input(0, input);
    user_clearerr(user_stdin);
    fake_fd[0].read_max = read_max;

    static char out[sizeof input];
    char piece[256];
    out[0] = '\0';
    while (user_fgets(piece, chunk, user_stdin) != NULL) {
        cr_assert_lt(strlen(piece), (size_t)chunk);
        char *nl = strchr(piece, '\n');
        cr_assert(nl == NULL || nl[1] == '\0', "fgets stops after the newline");
        strcat(out, piece);
    }
    cr_expect(user_feof(user_stdin));
    cr_expect_not(user_ferror(user_stdin));
    cr_expect_str_eq(out, input);
}

Test(stdio, fgets_across_buffer_boundaries)
{
    read_back_with_fgets(100, 0);
    read_back_with_fgets(7, 0);
    read_back_with_fgets(256, 13);
}

Test(stdio, fgets_gets_one_console_line_per_read)
{
    fake_fd[0].tty = true;
    fake_fd[0].line_reads = true;
    fake_set_input(0, "ls -l\necho hi\n");
    char line[64];
    cr_assert_not_null(user_fgets(line, sizeof line, user_stdin));
    cr_expect_str_eq(line, "ls -l\n");
    cr_expect_eq(fake_fd[0].reads, 1);
    cr_assert_not_null(user_fgets(line, sizeof line, user_stdin));
    cr_expect_str_eq(line, "echo hi\n");
    cr_expect_eq(fake_fd[0].reads, 2);
    cr_expect_null(user_fgets(line, sizeof line, user_stdin));
    cr_expect(user_feof(user_stdin));
}

Test(stdio, reading_stdin_flushes_a_prompt)
{
    fake_fd[1].tty = true;
    fake_set_input(0, "x\n");
    user_printf("$ ");
    cr_expect_eq(fake_fd[1].writes, 0);
    cr_expect_eq(user_getchar(), 'x');
    cr_expect_str_eq(fake_trace, "w1r0", "the prompt goes out before the read");
}

Test(stdio, ungetc_pushes_back_one)
{
    fake_set_input(0, "ab");
    cr_expect_eq(user_getc(user_stdin), 'a');
    cr_expect_eq(user_ungetc('z', user_stdin), 'z');
    cr_expect_eq(user_ungetc('y', user_stdin), EOF, "only one character");
    cr_expect_eq(user_getc(user_stdin), 'z');
    cr_expect_eq(user_getc(user_stdin), 'b');
    cr_expect_eq(user_getc(user_stdin), EOF);
    cr_expect(user_feof(user_stdin));
    cr_expect_eq(user_ungetc('q', user_stdin), 'q');
    cr_expect_not(user_feof(user_stdin), "ungetc clears end of file");
    cr_expect_eq(user_getc(user_stdin), 'q');
    cr_expect_eq(user_ungetc(EOF, user_stdin), EOF);
}

Test(stdio, eof_is_sticky_until_clearerr)
{
    fake_set_input(0, "");
    cr_expect_eq(user_getchar(), EOF);
    fake_set_input(0, "more");
    cr_expect_eq(user_getchar(), EOF, "C: the EOF flag stays set");
    user_clearerr(user_stdin);
    cr_expect_eq(user_getchar(), 'm');
}

Test(stdio, fread_counts_whole_items)
{
    fake_set_input(0, "0123456789abcdefghijklmnopqrst");      /* 30 bytes */
    char buf[64];
    cr_expect_eq(user_fread(buf, 4, 10, user_stdin), 7, "28 bytes are 7 items of 4");
    cr_expect_eq(memcmp(buf, "0123456789abcdefghijklmnopqr", 28), 0);
    cr_expect(user_feof(user_stdin));
    cr_expect_eq(user_fread(buf, 0, 10, user_stdin), 0);
}

Test(stdio, fread_large_and_small)
{
    static char input[5 * BUFSIZ + 3];
    for (size_t i = 0; i < sizeof input - 1; i++)
        input[i] = (char)('a' + i % 26);
    fake_set_input(0, input);
    static char buf[sizeof input];
    cr_expect_eq(user_fread(buf, 1, 10, user_stdin), 10);
    cr_expect_eq(user_fread(buf + 10, 1, 3 * BUFSIZ, user_stdin), 3 * BUFSIZ);
    cr_expect_eq(user_fread(buf + 10 + 3 * BUFSIZ, 1, sizeof buf, user_stdin),
                 sizeof input - 1 - 10 - 3 * BUFSIZ);
    cr_expect_eq(memcmp(buf, input, sizeof input - 1), 0);
}

Test(stdio, fwrite_returns_items)
{
    fake_fd[1].pipe = true;
    cr_expect_eq(user_fwrite("abcdefghijklmno", 3, 5, user_stdout), 5);
    cr_expect_eq(user_fwrite("x", 0, 5, user_stdout), 0);
    user_fflush(user_stdout);
    cr_expect_str_eq(fake_output(1), "abcdefghijklmno");
}

struct mode_case {
    const char *mode;
    int flags;
};

Test(stdio, fopen_mode_flags)
{
    static const struct mode_case cases[] = {
        {"r", O_RDONLY},
        {"rb", O_RDONLY},
        {"w", O_WRONLY | O_CREAT | O_TRUNC},
        {"a", O_WRONLY | O_CREAT | O_APPEND},
        {"r+", O_RDWR},
        {"w+", O_RDWR | O_CREAT | O_TRUNC},
        {"a+", O_RDWR | O_CREAT | O_APPEND},
        {"re", O_RDONLY | O_CLOEXEC},
        {"wx", O_WRONLY | O_CREAT | O_TRUNC | O_EXCL},
        {"w+b", O_RDWR | O_CREAT | O_TRUNC},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        user_FILE *f = user_fopen("/f", cases[i].mode);
        cr_assert_not_null(f, "fopen(\"%s\")", cases[i].mode);
        int fd = user_fileno(f);
        cr_expect_eq(fake_fd[fd].oflags, cases[i].flags, "mode \"%s\": flags 0%o, expected 0%o",
                     cases[i].mode, fake_fd[fd].oflags, cases[i].flags);
        if (cases[i].flags & O_CREAT)
            cr_expect_eq(fake_fd[fd].mode, 0666);
        cr_expect_eq(user_fclose(f), 0);
        cr_expect_not(fake_fd[fd].open, "fclose closes the descriptor");
    }
}

Test(stdio, fopen_bad_mode_is_einval)
{
    const char *bad[] = {"", "q", "+r", "rw", "r+z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fake_errno = 0;
        cr_expect_null(user_fopen("/f", bad[i]), "mode \"%s\"", bad[i]);
        cr_expect_eq(fake_errno, EINVAL);
    }
    cr_expect_eq(fake_fd[3].open, false, "nothing was opened");
}

Test(stdio, fopen_write_then_read_back)
{
    user_FILE *f = user_fopen("/f", "w+");
    cr_assert_not_null(f);
    int fd = user_fileno(f);
    user_fprintf(f, "hello %d\n", 12);
    cr_expect_eq(fake_fd[fd].writes, 0, "files are fully buffered");
    user_rewind(f);
    cr_expect_eq(fake_fd[fd].writes, 1);
    char line[32];
    cr_expect_not_null(user_fgets(line, sizeof line, f));
    cr_expect_str_eq(line, "hello 12\n");
    user_fclose(f);
}

Test(stdio, read_then_write_continues_where_the_reader_is)
{
    user_FILE *f = user_fopen("/f", "r+");
    int fd = user_fileno(f);
    fake_set_input(fd, "abcdef");
    cr_expect_eq(user_fgetc(f), 'a');
    cr_expect_eq(user_fgetc(f), 'b');
    user_fseek(f, 0, SEEK_CUR);          /* C wants a seek between them */
    user_fputs("XY", f);
    user_fflush(f);
    cr_expect_str_eq(fake_output(fd), "abXYef");
    cr_expect_eq(user_ftell(f), 4);
    user_fclose(f);
}

Test(stdio, getline_grows_the_buffer)
{
    static char input[5000 + 8];
    memset(input, 'g', 5000);
    strcpy(input + 5000, "\nend");
    fake_set_input(0, input);
    char *line = NULL;
    size_t cap = 0;
    cr_expect_eq(user_getline(&line, &cap, user_stdin), 5001);
    cr_expect_geq(cap, 5002);
    cr_expect_eq(line[5000], '\n');
    cr_expect_eq(line[5001], '\0');
    cr_expect_eq(user_getline(&line, &cap, user_stdin), 3);
    cr_expect_str_eq(line, "end");
    cr_expect_eq(user_getline(&line, &cap, user_stdin), -1);
    free(line);
}

Test(stdio, write_error_sets_ferror)
{
    fake_fd[1].tty = true;
    fake_fd[1].fail_writes = true;
    cr_expect_lt(user_printf("x\n"), 0);
    cr_expect(user_ferror(user_stdout));
    user_clearerr(user_stdout);
    cr_expect_not(user_ferror(user_stdout));
    cr_expect_eq(user_fputs("y\n", user_stdout), EOF);
}

Test(stdio, setvbuf_unbuffered_stdout)
{
    fake_fd[1].pipe = true;
    cr_expect_eq(user_setvbuf(user_stdout, NULL, _IONBF, 0), 0);
    user_putchar('a');
    user_putchar('b');
    cr_expect_eq(fake_fd[1].writes, 2);
    cr_expect_eq(user_setvbuf(user_stdout, NULL, 7, 0), -1, "no such mode");
}

Test(stdio, setvbuf_line_buffered_with_callers_buffer)
{
    static char buf[16];
    fake_fd[1].pipe = true;
    cr_expect_eq(user_setvbuf(user_stdout, buf, _IOLBF, sizeof buf), 0);
    user_printf("0123456789abcdefXYZ");
    cr_expect_eq(fake_fd[1].writes, 1, "a full 16-byte buffer is written");
    user_printf("\n");
    cr_expect_eq(fake_fd[1].writes, 2);
    cr_expect_str_eq(fake_output(1), "0123456789abcdefXYZ\n");
}

Test(stdio, writing_a_read_only_stream_fails)
{
    fake_errno = 0;
    cr_expect_eq(user_fputc('x', user_stdin), EOF);
    cr_expect(user_ferror(user_stdin));
    cr_expect_eq(fake_errno, EBADF);
    cr_expect_eq(user_fgetc(user_stdout), EOF);
}

Test(stdio, fdopen_and_fflush_null)
{
    fake_fd[5].open = true;
    user_FILE *f = user_fdopen(5, "w");
    cr_assert_not_null(f);
    fake_fd[1].pipe = true;
    user_fputs("to five", f);
    user_fputs("to one", user_stdout);
    cr_expect_eq(fake_fd[5].writes + fake_fd[1].writes, 0);
    cr_expect_eq(user_fflush(NULL), 0);
    cr_expect_str_eq(fake_output(5), "to five");
    cr_expect_str_eq(fake_output(1), "to one");
    user_fclose(f);
}

Test(stdio, dprintf_and_sprintf)
{
    user_dprintf(2, "%d-%s\n", 5, "x");
    cr_expect_str_eq(fake_output(2), "5-x\n");
    char buf[32];
    cr_expect_eq(user_sprintf(buf, "%05d|%-3s|", 42, "a"), 10);
    cr_expect_str_eq(buf, "00042|a  |");
}

Test(stdio, perror_keeps_errno)
{
    fake_errno = ENOENT;
    user_perror("cat: nosuch");
    cr_expect_str_eq(fake_output(2), "cat: nosuch: No such file or directory\n");
    cr_expect_eq(fake_errno, ENOENT);
}

Test(stdio, fclose_of_stdin_drops_its_buffer)
{
    fake_set_input(0, "abc\n");
    cr_expect_eq(user_getchar(), 'a');
    cr_expect_eq(user_fclose(user_stdin), 0);
    cr_expect_not(fake_fd[0].open);
    cr_expect_eq(user_getchar(), EOF, "nothing is read from a closed stream");
}
