/*
 * sh.c -- the shell: reads lines, runs jobs (sh/shparse.h is the
 * language; this file is what the language means).
 *
 *   sh                 reads commands from stdin; prints the prompt "$ "
 *                      and does job control when stdin is a terminal
 *   sh -c STRING [NAME [ARG...]]  runs STRING ($0 is NAME, or "sh";
 *                      $1..$9 and $# are the ARGs)
 *   sh FILE [ARG...]   runs the commands in FILE ($0 is FILE)
 *
 * A job is a pipeline: each command is forked, the commands are joined
 * by pipes, redirections are applied in the child, and the program is
 * looked up in $PATH (/bin if PATH is unset) unless its name has a '/'.
 * "sh: NAME: not found" is status 127, a program that exists but cannot
 * run is 126, a redirection that fails is 1, a syntax error is 2. $? is
 * the status of the last command of the last foreground job: its exit
 * code, or 128 + the signal that killed it; $! the pid of the last
 * process of the last background job.
 *
 * Built-ins (run in the shell itself, unless they are part of a
 * pipeline or in the background, where they run in a child):
 *   cd [DIR]  pwd  exit [N]  export [NAME=VALUE...]  unset NAME...
 *   wait  jobs  kill [-SIG] PID...  true  false  :
 * NAME=VALUE words before a command set NAME for that command only;
 * alone, they set it in the shell. Every variable is in the environment
 * of the commands the shell runs (there are no unexported ones).
 *
 * Job control (interactive only): each job is its own process group,
 * the foreground one owns the console (so Ctrl-C reaches it and not
 * the shell, which ignores SIGINT anyway), and the shell takes the
 * console back when every process of the job has ended. `CMD &` prints
 * "[PID]" (of the job's last process) and, once the job has ended, the
 * next prompt is preceded by "[PID] Done" (or "[PID] Exit N", or
 * "[PID] Killed by signal N").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include "sh/shparse.h"
#include "sh/vars.h"

#define LINE_MAX_BYTES SH_TEXT_MAX
#define MAX_BG_JOBS 16
#define PATH_MAX_BYTES 256
#define DEFAULT_PATH "/bin"

/* Statuses, as POSIX shells use them. */
#define STATUS_REDIR_FAILED 1
#define STATUS_SYNTAX 2
#define STATUS_CANNOT_RUN 126
#define STATUS_NOT_FOUND 127

static bool interactive;        /* stdin a terminal, no -c, no FILE: prompt + job control */
static pid_t shell_pgid;
static int last_status;
static pid_t last_background;   /* $! */
static const char *shell_name = "sh";   /* $0 */
static char **positional;       /* $1, $2, ...: the arguments after FILE or -c STRING NAME */
static int npositional;         /* $# */

static struct sh_job job;       /* the job being run (static: it is 12 KiB) */

/* The variables, which are also the environment of every command. */
static struct sh_vars vars;

static const char *var_get(const char *name, size_t len)
{
    return vars_get(&vars, name, len);
}

static bool var_set(const char *name, size_t len, const char *value)
{
    if (vars_set(&vars, name, len, value))
        return true;
    fprintf(stderr, "sh: out of memory for a variable\n");
    return false;
}

/* What the parser expands $NAME, $?, $$, $!, $# and $0..$9 to. */
static const char *lookup(const char *name, size_t len, void *ctx)
{
    static char number[16];
    (void)ctx;

    if (len == 1 && name[0] == '?') {
        snprintf(number, sizeof number, "%d", last_status);
        return number;
    }
    if (len == 1 && name[0] == '$') {
        snprintf(number, sizeof number, "%d", getpid());
        return number;
    }
    if (len == 1 && name[0] == '!') {
        if (last_background == 0)
            return NULL;
        snprintf(number, sizeof number, "%d", last_background);
        return number;
    }
    if (len == 1 && name[0] == '#') {
        snprintf(number, sizeof number, "%d", npositional);
        return number;
    }
    if (len == 1 && name[0] == '0')
        return shell_name;
    if (len == 1 && name[0] >= '1' && name[0] <= '9')
        return name[0] - '0' <= npositional ? positional[name[0] - '1'] : NULL;
    return var_get(name, len);
}

/* ---- signals and the console ------------------------------------------- */

/* Errors are ignored: a kernel without job control still runs jobs. */
static void set_sigint(sighandler_t disposition)
{
    signal(SIGINT, disposition);
}

static void give_console_to(pid_t pgid)
{
    if (interactive)
        tcsetpgrp(STDIN_FILENO, pgid);
}

/* ---- redirections -------------------------------------------------------- */

static int open_flags(enum sh_redir_kind kind)
{
    switch (kind) {
    case SH_REDIR_IN:
        return O_RDONLY;
    case SH_REDIR_OUT:
        return O_WRONLY | O_CREAT | O_TRUNC;
    default:
        return O_WRONLY | O_CREAT | O_APPEND;
    }
}

/* Applies one redirection; false (with a message) if it failed. */
static bool apply_redirection(const struct sh_redir *r)
{
    if (r->kind == SH_REDIR_CLOSE) {
        close(r->fd);
        return true;
    }
    if (r->kind == SH_REDIR_DUP) {
        if (r->dup_fd != r->fd && dup2(r->dup_fd, r->fd) < 0) {
            fprintf(stderr, "sh: %d: %s\n", r->dup_fd, strerror(errno));
            return false;
        }
        return true;
    }
    int fd = open(r->path, open_flags(r->kind), 0644);
    if (fd < 0) {
        fprintf(stderr, "sh: %s: %s\n", r->path, strerror(errno));
        return false;
    }
    if (fd != r->fd) {
        int moved = dup2(fd, r->fd);
        int err = errno;
        close(fd);
        if (moved < 0) {
            fprintf(stderr, "sh: %d: %s\n", r->fd, strerror(err));
            return false;
        }
    }
    return true;
}

static bool apply_redirections(const struct sh_cmd *cmd)
{
    for (int i = 0; i < cmd->nredirs; i++) {
        if (!apply_redirection(&cmd->redirs[i]))
            return false;
    }
    return true;
}

/* For a built-in run in the shell: copies of the descriptors its
 * redirections replace, to put back afterwards (-1: was closed). */
struct saved_fds {
    int n;
    int fd[SH_MAX_REDIRS];
    int copy[SH_MAX_REDIRS];
};

static void save_fds(const struct sh_cmd *cmd, struct saved_fds *s)
{
    s->n = cmd->nredirs;
    for (int i = 0; i < cmd->nredirs; i++) {
        s->fd[i] = cmd->redirs[i].fd;
        s->copy[i] = dup(s->fd[i]);
    }
}

/* In reverse: a descriptor redirected twice gets its first copy back. */
static void restore_fds(struct saved_fds *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        if (s->copy[i] >= 0) {
            dup2(s->copy[i], s->fd[i]);
            close(s->copy[i]);
        } else {
            close(s->fd[i]);
        }
    }
}

/* ---- built-ins ------------------------------------------------------------ */

static void reap_background(bool report);
static void wait_background(void);

static int builtin_cd(char **argv)
{
    const char *dir = argv[1];

    if (dir == NULL) {
        dir = var_get("HOME", 4);
        if (dir == NULL || *dir == '\0')
            dir = "/";
    }
    if (chdir(dir) < 0) {
        fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char cwd[PATH_MAX_BYTES];
    if (getcwd(cwd, sizeof cwd) != NULL)
        var_set("PWD", 3, cwd);
    return 0;
}

static int builtin_pwd(char **argv)
{
    char cwd[PATH_MAX_BYTES];
    (void)argv;

    if (getcwd(cwd, sizeof cwd) == NULL) {
        fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

/* `exit [N]`: returns (status 2) only if N is not a number. */
static int builtin_exit(char **argv)
{
    if (argv[1] == NULL)
        exit(last_status);
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*end != '\0' || end == argv[1] || argv[2] != NULL) {
        fprintf(stderr, "sh: exit: usage: exit [N] (N a number)\n");
        return 2;
    }
    exit((int)(n & 0xff));
}

static int builtin_export(char **argv)
{
    int status = 0;

    if (argv[1] == NULL) {
        for (int i = 0; i < vars.n; i++)
            printf("export %s\n", vars.env[i]);
        return 0;
    }
    for (int i = 1; argv[i] != NULL; i++) {
        size_t len = sh_assignment_name_len(argv[i]);
        if (len > 0) {
            if (!var_set(argv[i], len, argv[i] + len + 1))
                status = 1;
        } else if (!sh_is_name(argv[i], strlen(argv[i]))) {
            fprintf(stderr, "sh: export: '%s': not a valid name\n", argv[i]);
            status = 1;
        }
        /* export NAME: every variable is exported already. */
    }
    return status;
}

static int builtin_unset(char **argv)
{
    for (int i = 1; argv[i] != NULL; i++)
        vars_unset(&vars, argv[i]);
    return 0;
}

static int builtin_wait(char **argv)
{
    (void)argv;
    wait_background();
    return 0;
}

/* `kill [-SIG | -s SIG] PID...`: a built-in, so that it still works
 * when no process can be forked (after a fork bomb in the background). */
static int signal_number(const char *s)
{
    static const struct { const char *name; int sig; } names[] = {
        {"INT", SIGINT}, {"KILL", SIGKILL}, {"TERM", SIGTERM}, {"PIPE", SIGPIPE},
        {"SEGV", SIGSEGV},
    };
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0)
            return names[i].sig;
    }
    char *end;
    long n = strtol(s, &end, 10);
    return *s != '\0' && *end == '\0' && n >= 0 && n < 32 ? (int)n : -1;
}

static int builtin_kill(char **argv)
{
    int sig = SIGTERM;
    int i = 1;

    if (argv[i] != NULL && strcmp(argv[i], "-s") == 0 && argv[i + 1] != NULL) {
        sig = signal_number(argv[i + 1]);
        i += 2;
    } else if (argv[i] != NULL && argv[i][0] == '-' && argv[i][1] != '\0' &&
               !(argv[i][1] >= '0' && argv[i][1] <= '9' && argv[i + 1] == NULL)) {
        sig = signal_number(argv[i] + 1);
        i++;
    }
    if (sig < 0 || argv[i] == NULL) {
        fprintf(stderr, "sh: kill: usage: kill [-SIG | -s SIG] PID... (a PID < 0: a group)\n");
        return 2;
    }
    int status = 0;
    for (; argv[i] != NULL; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*end != '\0' || end == argv[i]) {
            fprintf(stderr, "sh: kill: %s: not a number\n", argv[i]);
            status = 1;
        } else if (kill((pid_t)pid, sig) < 0) {
            fprintf(stderr, "sh: kill: %ld: %s\n", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}

static int builtin_jobs(char **argv);

static int builtin_true(char **argv)
{
    (void)argv;
    return 0;
}

static int builtin_false(char **argv)
{
    (void)argv;
    return 1;
}

struct builtin {
    const char *name;
    int (*run)(char **argv);
};

static const struct builtin builtins[] = {
    {"cd", builtin_cd},       {"pwd", builtin_pwd},     {"exit", builtin_exit},
    {"export", builtin_export}, {"unset", builtin_unset}, {"wait", builtin_wait},
    {"true", builtin_true},   {"false", builtin_false}, {":", builtin_true},
    {"kill", builtin_kill},   {"jobs", builtin_jobs},
};

static const struct builtin *find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    }
    return NULL;
}

/* ---- running one command (in the child) -------------------------------- */

/* Tries dir/name; returns only if exec failed (errno says why). */
static void try_exec(const char *dir, size_t dir_len, char **argv)
{
    char path[PATH_MAX_BYTES];
    int n = snprintf(path, sizeof path, "%.*s/%s", (int)dir_len, dir, argv[0]);

    if (n < 0 || (size_t)n >= sizeof path) {
        errno = ENAMETOOLONG;
        return;
    }
    execve(path, argv, vars.env);
}

/* Execs argv[0] (looked up in $PATH if it has no '/'); never returns. */
__attribute__((noreturn)) static void exec_program(char **argv)
{
    int err;

    if (argv[0][0] == '\0') {
        fprintf(stderr, "sh: '': not found\n");
        exit(STATUS_NOT_FOUND);
    }
    if (strchr(argv[0], '/') != NULL) {
        execve(argv[0], argv, vars.env);
        err = errno;
    } else {
        const char *path = var_get("PATH", 4);
        if (path == NULL)
            path = DEFAULT_PATH;
        err = ENOENT;
        for (const char *dir = path;;) {
            const char *colon = strchr(dir, ':');
            size_t len = colon != NULL ? (size_t)(colon - dir) : strlen(dir);
            try_exec(len > 0 ? dir : ".", len > 0 ? len : 1, argv);
            /* The first error other than "not there" is the one to tell. */
            if (err == ENOENT && errno != ENOENT && errno != ENOTDIR)
                err = errno;
            if (colon == NULL)
                break;
            dir = colon + 1;
        }
        if (err == ENOENT) {
            fprintf(stderr, "sh: %s: not found\n", argv[0]);
            exit(STATUS_NOT_FOUND);
        }
    }
    fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
    exit(err == ENOENT || err == ENOTDIR ? STATUS_NOT_FOUND : STATUS_CANNOT_RUN);
}

/* Leading NAME=VALUE words: how many there are. */
static int count_assignments(const struct sh_cmd *cmd)
{
    int n = 0;
    while (n < cmd->argc && sh_assignment_name_len(cmd->argv[n]) > 0)
        n++;
    return n;
}

static void set_assignments(const struct sh_cmd *cmd, int n)
{
    for (int i = 0; i < n; i++) {
        size_t len = sh_assignment_name_len(cmd->argv[i]);
        var_set(cmd->argv[i], len, cmd->argv[i] + len + 1);
    }
}

/* A command's words after its assignments, run as a built-in or a
 * program: the child's last step. Never returns. */
__attribute__((noreturn)) static void run_in_child(const struct sh_cmd *cmd)
{
    int skip = count_assignments(cmd);
    char **argv = (char **)&cmd->argv[skip];

    if (!apply_redirections(cmd))
        exit(STATUS_REDIR_FAILED);
    set_assignments(cmd, skip);
    if (argv[0] == NULL)
        exit(0);
    const struct builtin *b = find_builtin(argv[0]);
    if (b != NULL) {
        int status = b->run(argv);
        fflush(stdout);
        exit(status);
    }
    exec_program(argv);
}

/* ---- jobs ------------------------------------------------------------------ */

/* The shell's idea of a status: the exit code, or 128 + the signal. */
static int shell_status(int wait_status)
{
    return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
}

/* Background jobs not yet reported as ended. */
struct bg_job {
    bool used;
    pid_t id;                   /* the last process's pid: what "[PID]" shows */
    pid_t pids[SH_MAX_CMDS];
    int running;                /* how many of pids have not ended */
    int status;                 /* the last process's wait status */
};

static struct bg_job bg_jobs[MAX_BG_JOBS];

static void remember_background(const pid_t *pids, int n)
{
    for (int i = 0; i < MAX_BG_JOBS; i++) {
        struct bg_job *b = &bg_jobs[i];
        if (!b->used) {
            b->used = true;
            b->id = pids[n - 1];
            memcpy(b->pids, pids, (size_t)n * sizeof *pids);
            b->running = n;
            b->status = 0;
            return;
        }
    }
    /* The table is full: the job still runs, and is reaped silently. */
}

static void report_background(const struct bg_job *b)
{
    int s = b->status;

    if (WIFSIGNALED(s))
        printf("[%d] Killed by signal %d\n", b->id, WTERMSIG(s));
    else if (WEXITSTATUS(s) != 0)
        printf("[%d] Exit %d\n", b->id, WEXITSTATUS(s));
    else
        printf("[%d] Done\n", b->id);
}

static int builtin_jobs(char **argv)
{
    (void)argv;
    reap_background(interactive);
    for (int i = 0; i < MAX_BG_JOBS; i++) {
        if (bg_jobs[i].used)
            printf("[%d] Running\n", bg_jobs[i].id);
    }
    return 0;
}

/* A background process pid has ended with status: updates its job and
 * reports the job if that was its last process. */
static void background_ended(pid_t pid, int status, bool report)
{
    for (int i = 0; i < MAX_BG_JOBS; i++) {
        struct bg_job *b = &bg_jobs[i];
        if (!b->used)
            continue;
        for (int k = 0; k < SH_MAX_CMDS; k++) {
            if (b->pids[k] != pid || b->running == 0)
                continue;
            b->pids[k] = 0;
            if (pid == b->id)
                b->status = status;
            if (--b->running == 0) {
                if (report)
                    report_background(b);
                b->used = false;
            }
            return;
        }
    }
}

/* Reaps every child that has ended, without waiting. Only background
 * processes can be children here: a foreground job is waited for. */
static void reap_background(bool report)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        background_ended(pid, status, report);
}

static void wait_background(void)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, 0)) > 0 || (pid < 0 && errno == EINTR)) {
        if (pid > 0)
            background_ended(pid, status, interactive);
    }
}

/* A foreground process killed by a signal is worth a line, except by
 * Ctrl-C (the console has echoed "^C" and a newline already) or by a
 * pipe whose reader is gone (as "yes | head" ends, normally). */
static void report_killed(const char *name, int status)
{
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGINT && WTERMSIG(status) != SIGPIPE)
        fprintf(stderr, "sh: %s: killed by signal %d\n", name, WTERMSIG(status));
}

/* Waits for every process of a foreground job; returns the last one's
 * wait status. */
static int wait_foreground(const pid_t *pids, int n)
{
    int last = 0;

    for (int i = 0; i < n; i++) {
        int status = 0;
        pid_t r;
        while ((r = waitpid(pids[i], &status, 0)) < 0 && errno == EINTR)
            ;
        if (r < 0)
            continue;
        const struct sh_cmd *cmd = &job.cmds[i];
        report_killed(cmd->argc > 0 ? cmd->argv[0] : "sh", status);
        if (i == n - 1)
            last = status;
    }
    return last;
}

/* The child's side of command i of the job: joins the job's process
 * group, takes its pipe ends, runs the command. */
__attribute__((noreturn)) static void start_child(int i, pid_t pgid, int in_fd, int pipe_fds[2])
{
    if (interactive) {
        /* The parent does the same: whichever runs first, the group
         * exists before anyone of the job execs or reads the console. */
        pid_t group = pgid != 0 ? pgid : getpid();
        setpgid(0, group);
        if (!job.background)
            tcsetpgrp(STDIN_FILENO, group);
        set_sigint(SIG_DFL);
    }
    if (in_fd >= 0) {
        dup2(in_fd, STDIN_FILENO);
        close(in_fd);
    }
    if (pipe_fds != NULL) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[1]);
        close(pipe_fds[0]);
    }
    run_in_child(&job.cmds[i]);
}

/* Forks the commands of the job, joined by pipes; returns how many
 * were started (their pids in pids). */
static int start_pipeline(pid_t *pids)
{
    pid_t pgid = 0;
    int in_fd = -1;             /* the read end of the previous pipe */
    int started = 0;

    for (int i = 0; i < job.ncmds; i++) {
        int fds[2];
        bool last = i == job.ncmds - 1;

        if (!last && pipe(fds) < 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            break;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "sh: fork: %s\n", strerror(errno));
            if (!last) {
                close(fds[0]);
                close(fds[1]);
            }
            break;
        }
        if (pid == 0)
            start_child(i, pgid, in_fd, last ? NULL : fds);
        if (pgid == 0)
            pgid = pid;
        if (interactive)
            setpgid(pid, pgid);
        pids[started++] = pid;
        /* The parent keeps no pipe end: the reader sees EOF only when
         * every copy of the write end is closed. */
        if (in_fd >= 0)
            close(in_fd);
        in_fd = -1;
        if (!last) {
            close(fds[1]);
            in_fd = fds[0];
        }
    }
    if (in_fd >= 0)
        close(in_fd);
    return started;
}

static int run_pipeline(void)
{
    pid_t pids[SH_MAX_CMDS];
    int started = start_pipeline(pids);

    if (started == 0)
        return 1;
    if (job.background) {
        last_background = pids[started - 1];
        if (interactive)
            printf("[%d]\n", last_background);
        remember_background(pids, started);
        return 0;
    }
    if (interactive)
        give_console_to(pids[0]);       /* the job's pgid */
    int status = wait_foreground(pids, started);
    give_console_to(shell_pgid);
    /* Fewer started than asked: the job failed as a whole. */
    return started < job.ncmds ? 1 : shell_status(status);
}

/* A single command that runs in the shell itself: a built-in, or
 * assignments / redirections alone. */
static bool runs_in_shell(const struct sh_cmd *cmd)
{
    int skip = count_assignments(cmd);
    return skip == cmd->argc || find_builtin(cmd->argv[skip]) != NULL;
}

static int run_in_shell(const struct sh_cmd *cmd)
{
    int skip = count_assignments(cmd);
    struct saved_fds saved;
    int status = 0;

    save_fds(cmd, &saved);
    if (!apply_redirections(cmd)) {
        status = STATUS_REDIR_FAILED;
    } else {
        /* POSIX special built-ins keep their assignments; so do ours. */
        set_assignments(cmd, skip);
        if (skip < cmd->argc) {
            status = find_builtin(cmd->argv[skip])->run((char **)&cmd->argv[skip]);
            fflush(stdout);
        }
    }
    restore_fds(&saved);
    return status;
}

static void run_job(void)
{
    if (job.ncmds == 1 && !job.background && runs_in_shell(&job.cmds[0]))
        last_status = run_in_shell(&job.cmds[0]);
    else
        last_status = run_pipeline();
}

/* ---- input -------------------------------------------------------------------- */

/* Runs every job of one line (or -c string). Returns false after a
 * syntax error (already reported). */
static bool run_line(const char *line)
{
    char error[SH_ERROR_MAX];
    struct sh_parser ps;
    enum sh_parse_result r;

    if (!sh_check_syntax(line, &job, error, sizeof error)) {
        fprintf(stderr, "sh: %s\n", error);
        last_status = STATUS_SYNTAX;
        return false;
    }
    sh_parser_init(&ps, line, lookup, NULL);
    while ((r = sh_parse_job(&ps, &job)) == SH_PARSE_JOB)
        run_job();
    if (r == SH_PARSE_ERROR) {
        /* Only a limit can be hit here (the syntax was checked), e.g. a
         * variable so long that the job overflows. */
        fprintf(stderr, "sh: %s\n", ps.error);
        last_status = STATUS_SYNTAX;
        return false;
    }
    return true;
}

enum read_result { LINE_OK, LINE_TOO_LONG, LINE_INTERRUPTED, LINE_EOF };

/*
 * Reads one line from fd, byte by byte: the commands the shell runs
 * share its stdin, and must find the input right after the line (a
 * script piped in can carry the input of its commands). The newline is
 * not stored.
 */
static enum read_result read_line(int fd, char *line, size_t size)
{
    size_t len = 0;
    bool too_long = false;

    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);

        if (n < 0 && errno == EINTR)
            return LINE_INTERRUPTED;
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

/* The read-run loop over fd; returns the shell's exit status. */
static int run_input(int fd)
{
    static char line[LINE_MAX_BYTES];

    for (;;) {
        reap_background(interactive);
        if (interactive) {
            /* On stderr, as POSIX shells do; after what stdout holds. */
            fflush(stdout);
            fputs("$ ", stderr);
        }
        enum read_result r = read_line(fd, line, sizeof line);
        if (r == LINE_EOF) {
            if (interactive)
                putchar('\n');
            return last_status;
        }
        if (r == LINE_INTERRUPTED)
            continue;
        if (r == LINE_TOO_LONG) {
            fprintf(stderr, "sh: line too long (at most %d bytes)\n", LINE_MAX_BYTES - 1);
            last_status = STATUS_SYNTAX;
        } else if (run_line(line)) {
            continue;
        }
        if (!interactive)
            return last_status;         /* a script stops at its first syntax error */
    }
}

/* sh -c STRING: its lines one by one, as if read from a file. */
static int run_string(const char *s)
{
    static char line[LINE_MAX_BYTES];

    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        if (len >= sizeof line) {
            fprintf(stderr, "sh: line too long (at most %d bytes)\n", LINE_MAX_BYTES - 1);
            return STATUS_SYNTAX;
        }
        memcpy(line, s, len);
        line[len] = '\0';
        if (!run_line(line))
            return last_status;
        s += len + (nl != NULL);
        reap_background(false);
    }
    return last_status;
}

static void usage(void)
{
    fprintf(stderr, "usage: sh [-c STRING [NAME [ARG...]] | FILE [ARG...]]\n");
    exit(STATUS_SYNTAX);
}

int main(int argc, char **argv)
{
    if (!vars_init(&vars, environ)) {
        fprintf(stderr, "sh: out of memory for the environment\n");
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3)
            usage();
        if (argc >= 4) {
            shell_name = argv[3];
            positional = &argv[4];
            npositional = argc - 4;
        }
        return run_string(argv[2]);
    }
    if (argc >= 2) {
        if (argv[1][0] == '-')
            usage();
        /* Close-on-exec: the script is the shell's, not its commands'. */
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno == EINVAL)
            fd = open(argv[1], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
            return STATUS_NOT_FOUND;
        }
        shell_name = argv[1];
        positional = &argv[2];
        npositional = argc - 2;
        return run_input(fd);
    }

    interactive = isatty(STDIN_FILENO);
    if (interactive) {
        /* Its own group, owning the console; Ctrl-C is for the jobs. */
        shell_pgid = getpid();
        setpgid(0, shell_pgid);
        give_console_to(shell_pgid);
        set_sigint(SIG_IGN);
    }
    return run_input(STDIN_FILENO);
}
