/*
 * sh.c -- a minimal shell.
 *
 * Prints the prompt "$ ", reads a line from fd 0, splits it into words
 * at spaces and tabs (no quotes, no redirection, no pipes), and runs it:
 *
 *   exit [N]   the one built-in: exits with N, or with the status of the
 *              last command if N is left out (as POSIX sh does)
 *   NAME ...   forks; the child execs /bin/NAME (or NAME itself if it
 *              contains a '/') with the words as argv and this shell's
 *              environment; the shell waits for it
 *
 * An exec that fails prints "sh: NAME: <strerror>" and the child exits
 * 127, the status POSIX shells use for "command not found". A command
 * killed by the kernel is reported as "sh: NAME: killed by signal N".
 * At the end of input (read returns 0) the shell exits with the last
 * status.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#define LINE_MAX_BYTES 256
#define MAX_WORDS 32
#define PATH_MAX_BYTES 128

enum read_result { LINE_OK, LINE_TOO_LONG, LINE_EOF };

/*
 * Reads one line, byte by byte: the console may hand out input in any
 * pieces, and a read of more than one byte could swallow the start of
 * the next line. The newline is not stored.
 */
static enum read_result read_line(char *line, size_t size)
{
    size_t len = 0;
    bool too_long = false;

    for (;;) {
        char c;
        ssize_t n = read(STDIN_FILENO, &c, 1);

        if (n <= 0) {
            if (len == 0 && !too_long)
                return LINE_EOF;
            break;              /* a last line without its newline */
        }
        if (c == '\n')
            break;
        if (len + 1 < size)
            line[len++] = c;
        else
            too_long = true;
    }
    line[len] = '\0';
    return too_long ? LINE_TOO_LONG : LINE_OK;
}

/* "/bin/NAME", or NAME itself if it has a '/' in it. */
static bool command_path(const char *name, char *path, size_t size)
{
    int n = strchr(name, '/') != NULL ? snprintf(path, size, "%s", name)
                                      : snprintf(path, size, "/bin/%s", name);
    return n >= 0 && (size_t)n < size;
}

/* The child's side of running a command: only returns by exiting. */
__attribute__((noreturn)) static void exec_command(char **words)
{
    char path[PATH_MAX_BYTES];

    if (!command_path(words[0], path, sizeof path)) {
        fprintf(stderr, "sh: %s: %s\n", words[0], strerror(ENAMETOOLONG));
        exit(127);
    }
    execve(path, words, environ);
    fprintf(stderr, "sh: %s: %s\n", words[0], strerror(errno));
    exit(127);
}

/* Runs words[0] with its arguments; returns its wait status. */
static int run_command(char **words)
{
    pid_t pid = fork();

    if (pid < 0) {
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        return W_EXITCODE(126);
    }
    if (pid == 0)
        exec_command(words);

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "sh: waitpid: %s\n", strerror(errno));
            return W_EXITCODE(126);
        }
    }
    if (WIFSIGNALED(status))
        fprintf(stderr, "sh: %s: killed by signal %d\n", words[0], WTERMSIG(status));
    return status;
}

/* The shell's idea of a command's status: its exit code, or 128 + the
 * signal that killed it (as POSIX shells report it in $?). */
static int shell_status(int wait_status)
{
    return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
}

/* `exit [N]`: returns only if N is not a number. */
static void builtin_exit(char **words, int last_status)
{
    if (words[1] == NULL)
        exit(last_status);
    char *end;
    long n = strtol(words[1], &end, 10);
    if (*end != '\0' || end == words[1] || words[2] != NULL) {
        fprintf(stderr, "sh: exit: usage: exit [N] (N a number)\n");
        return;
    }
    exit((int)(n & 0xff));
}

int main(void)
{
    char line[LINE_MAX_BYTES];
    char *words[MAX_WORDS];
    int last_status = 0;

    for (;;) {
        fputs("$ ", stdout);
        fflush(stdout);         /* stdout is line-buffered: the prompt has no '\n' */
        enum read_result r = read_line(line, sizeof line);
        if (r == LINE_EOF)
            return last_status;
        if (r == LINE_TOO_LONG) {
            fprintf(stderr, "sh: line too long (at most %d bytes)\n", LINE_MAX_BYTES - 1);
            last_status = 2;
            continue;
        }
        int n = split_words(line, words, MAX_WORDS);
        if (n < 0) {
            fprintf(stderr, "sh: too many words (at most %d)\n", MAX_WORDS - 1);
            last_status = 2;
            continue;
        }
        if (n == 0)
            continue;
        if (strcmp(words[0], "exit") == 0) {
            builtin_exit(words, last_status);
            last_status = 2;
            continue;
        }
        last_status = shell_status(run_command(words));
    }
}
