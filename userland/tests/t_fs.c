/*
 * t_fs.c -- the writable file system, descriptors and pipes, through the
 * raw system calls (KTAP on stdout). Each case works in its own
 * directory under /t_fs, made fresh at start.
 *
 *   create_write_read     O_CREAT a file, write, read it back; fstat's size, mode, nlink
 *   append                O_APPEND writes at the end whatever the offset
 *   excl                  O_CREAT|O_EXCL on an existing name: EEXIST
 *   access_modes          read on O_WRONLY / write on O_RDONLY: EBADF; a
 *                         directory for writing: EISDIR; ENOENT, ENOTDIR
 *   lseek_and_holes       a write past the end leaves zeros; SEEK_CUR/END;
 *                         negative: EINVAL; a pipe: ESPIPE
 *   truncate              O_TRUNC empties; ftruncate grows (zeros) and shrinks
 *   rename                a file into another directory (replacing one
 *                         there), a directory; into its own subtree: EINVAL
 *   unlink_while_open     the name goes at once, the data when the last fd closes
 *   mkdir_getdents        getdents lists ".", "..", then what mkdir/creat
 *                         made; rmdir: ENOTEMPTY; unlink of a directory: EISDIR
 *   chdir_getcwd          relative paths after chdir; getcwd; ".." ; a fork
 *                         child has the same working directory
 *   names_too_long        a component over NAME_MAX, a path of TP_PATH_MAX: ENAMETOOLONG
 *   pipe_eof              a child writes and exits: the parent reads it,
 *                         then 0 (EOF); fstat says S_IFIFO
 *   pipe_sigpipe          a child writing to a pipe nobody reads is
 *                         killed by SIGPIPE
 *   pipe_large            64 KiB through a pipe, in order, exactly
 *   dup2_cloexec_exec     dup2 onto a chosen fd; across exec an O_CLOEXEC
 *                         fd is closed, its dup2 copy stays open
 *   exec_written_program  a program copied at run time runs; exec of a
 *                         directory fails with EACCES
 *   emfile                TP_OPEN_MAX descriptors, then EMFILE (open, dup, pipe)
 *   blocked_pipe_killed   kill() ends children blocked reading an empty
 *                         pipe and writing a full one (-EINTR inside)
 *   no_frame_leaks        a file of 5 blocks written, read, unlinked and a
 *                         pipe used by a child: the free frames after a
 *                         second round equal those after the first
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <rlimit.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

/* SAFETY: pointer -> integer: a user address handed to the kernel, which
 * checks it (copyin/copyout). */
#define A(p) ((long)(uintptr_t)(p))

static long sc(long nr, long a1, long a2, long a3)
{
    return syscall_raw(nr, a1, a2, a3, 0, 0);
}

static long sys_open(const char *path, int flags, int mode) { return sc(SYS_open, A(path), flags, mode); }
static long sys_read(int fd, void *buf, size_t n) { return sc(SYS_read, fd, A(buf), (long)n); }
static long sys_write(int fd, const void *buf, size_t n) { return sc(SYS_write, fd, A(buf), (long)n); }
static long sys_close(int fd) { return sc(SYS_close, fd, 0, 0); }
static long sys_lseek(int fd, long off, int whence) { return sc(SYS_lseek, fd, off, whence); }
static long sys_fstat(int fd, struct stat *st) { return sc(SYS_fstat, fd, A(st), 0); }
static long sys_stat(const char *path, struct stat *st) { return sc(SYS_stat, A(path), A(st), 0); }
static long sys_mkdir(const char *path) { return sc(SYS_mkdir, A(path), 0755, 0); }
static long sys_rmdir(const char *path) { return sc(SYS_rmdir, A(path), 0, 0); }
static long sys_unlink(const char *path) { return sc(SYS_unlink, A(path), 0, 0); }
static long sys_rename(const char *a, const char *b) { return sc(SYS_rename, A(a), A(b), 0); }
static long sys_chdir(const char *path) { return sc(SYS_chdir, A(path), 0, 0); }
static long sys_getcwd(char *buf, size_t n) { return sc(SYS_getcwd, A(buf), (long)n, 0); }
static long sys_dup(int fd) { return sc(SYS_dup, fd, 0, 0); }
static long sys_dup2(int fd, int newfd) { return sc(SYS_dup2, fd, newfd, 0); }
static long sys_pipe(int fds[2]) { return sc(SYS_pipe, A(fds), 0, 0); }
static long sys_ftruncate(int fd, unsigned len) { return sc(SYS_ftruncate, fd, (long)len, 0); }
static long sys_getdents(int fd, struct dirent *d, size_t n) { return sc(SYS_getdents, fd, A(d), (long)n); }

/* One check inside a case: false (and a diagnostic) if got != want. */
static bool expect(const char *what, long got, long want)
{
    if (got != want)
        ktap_diag("%s: expected %s, got %s", what, ktap_raw(want), ktap_raw(got));
    return got == want;
}

static bool expect_ok(const char *what, long got)
{
    if (got < 0)
        ktap_diag("%s: expected success, got %s", what, ktap_raw(got));
    return got >= 0;
}

/* A new file at path holding text; its size or -errno. */
static long put_file(const char *path, const char *text)
{
    long fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fd;
    long n = sys_write((int)fd, text, strlen(text));
    sys_close((int)fd);
    return n;
}

/* The file's contents into buf (NUL-terminated): the length or -errno. */
static long get_file(const char *path, char *buf, size_t size)
{
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    long n = sys_read((int)fd, buf, size - 1);
    sys_close((int)fd);
    buf[n < 0 ? 0 : n] = '\0';
    return n;
}

static bool same_text(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        ktap_diag("%s: expected \"%s\", got \"%s\"", what, want, got);
    return strcmp(got, want) == 0;
}

static bool create_write_read(void)
{
    char buf[32];
    struct stat st;
    bool ok = expect("put_file", put_file("/t_fs/a/hello", "hello, file"), 11);
    ok &= expect("get_file", get_file("/t_fs/a/hello", buf, sizeof buf), 11);
    ok &= same_text("read back", buf, "hello, file");
    ok &= expect("stat", sys_stat("/t_fs/a/hello", &st), 0);
    ok &= expect("st_size", st.st_size, 11) && expect("S_ISREG", S_ISREG(st.st_mode), 1);
    ok &= expect("st_nlink", st.st_nlink, 1) && expect("mode bits", st.st_mode & 0777, 0644);
    return ok;
}

static bool append(void)
{
    char buf[32];
    bool ok = expect("put_file", put_file("/t_fs/b/log", "one"), 3);
    long fd = sys_open("/t_fs/b/log", O_WRONLY | O_APPEND, 0);
    ok &= expect_ok("open O_APPEND", fd);
    ok &= expect("lseek 0", sys_lseek((int)fd, 0, SEEK_SET), 0);
    ok &= expect("write", sys_write((int)fd, "two", 3), 3);
    ok &= expect("offset after", sys_lseek((int)fd, 0, SEEK_CUR), 6);
    sys_close((int)fd);
    get_file("/t_fs/b/log", buf, sizeof buf);
    return ok && same_text("after O_APPEND", buf, "onetwo");
}

static bool excl(void)
{
    bool ok = expect_ok("O_CREAT|O_EXCL new", sys_open("/t_fs/c/x", O_CREAT | O_EXCL | O_RDWR, 0600));
    ok &= expect("O_CREAT|O_EXCL existing", sys_open("/t_fs/c/x", O_CREAT | O_EXCL | O_RDWR, 0600),
                 -EEXIST);
    ok &= expect("mkdir existing", sys_mkdir("/t_fs/c/x"), -EEXIST);
    for (int fd = 3; fd < TP_OPEN_MAX; fd++)
        sys_close(fd);
    return ok;
}

static bool access_modes(void)
{
    char c = 'x';
    put_file("/t_fs/d/f", "data");
    long w = sys_open("/t_fs/d/f", O_WRONLY, 0), r = sys_open("/t_fs/d/f", O_RDONLY, 0);
    bool ok = expect("read on O_WRONLY", sys_read((int)w, &c, 1), -EBADF);
    ok &= expect("write on O_RDONLY", sys_write((int)r, &c, 1), -EBADF);
    ok &= expect("directory O_WRONLY", sys_open("/t_fs/d", O_WRONLY, 0), -EISDIR);
    ok &= expect("directory O_RDWR", sys_open("/t_fs/d", O_RDWR, 0), -EISDIR);
    ok &= expect("missing", sys_open("/t_fs/d/none", O_RDONLY, 0), -ENOENT);
    ok &= expect("missing parent", sys_open("/t_fs/none/f", O_CREAT | O_WRONLY, 0644), -ENOENT);
    ok &= expect("file as directory", sys_open("/t_fs/d/f/x", O_RDONLY, 0), -ENOTDIR);
    ok &= expect("read a directory", sys_read((int)sys_open("/t_fs/d", O_RDONLY, 0), &c, 1),
                 -EISDIR);
    ok &= expect("closed fd", sys_read(TP_OPEN_MAX - 1, &c, 1), -EBADF);
    for (int fd = 3; fd < TP_OPEN_MAX; fd++)
        sys_close(fd);
    return ok;
}

static bool lseek_and_holes(void)
{
    static char buf[10010];
    long fd = sys_open("/t_fs/e/holes", O_RDWR | O_CREAT, 0644);
    bool ok = expect("write a", sys_write((int)fd, "a", 1), 1);
    ok &= expect("lseek far", sys_lseek((int)fd, 10000, SEEK_SET), 10000);
    ok &= expect("write b", sys_write((int)fd, "b", 1), 1);
    ok &= expect("SEEK_END", sys_lseek((int)fd, 0, SEEK_END), 10001);
    ok &= expect("SEEK_CUR -10001", sys_lseek((int)fd, -10001, SEEK_CUR), 0);
    ok &= expect("negative", sys_lseek((int)fd, -1, SEEK_SET), -EINVAL);
    ok &= expect("read all", sys_read((int)fd, buf, sizeof buf), 10001);
    bool zeros = buf[0] == 'a' && buf[10000] == 'b';
    for (int i = 1; i < 10000; i++)
        zeros &= buf[i] == 0;
    if (!zeros)
        ktap_diag("the hole between offsets 1 and 9999 does not read as zeros");
    sys_close((int)fd);
    int fds[2];
    ok &= expect("pipe", sys_pipe(fds), 0);
    ok &= expect("lseek on a pipe", sys_lseek(fds[0], 0, SEEK_SET), -ESPIPE);
    ok &= expect("lseek on the console", sys_lseek(1, 0, SEEK_CUR), -ESPIPE);
    sys_close(fds[0]);
    sys_close(fds[1]);
    return ok && zeros;
}

static bool truncate_case(void)
{
    char buf[200] = { 0 };      /* checked below even when the read failed */
    struct stat st;
    put_file("/t_fs/f/t", "some text");
    long fd = sys_open("/t_fs/f/t", O_RDWR | O_TRUNC, 0);
    bool ok = expect("fstat", sys_fstat((int)fd, &st), 0) && expect("size after O_TRUNC", st.st_size, 0);
    ok &= expect("write", sys_write((int)fd, "abc", 3), 3);
    ok &= expect("ftruncate 100", sys_ftruncate((int)fd, 100), 0);
    ok &= expect("read from 0", sys_lseek((int)fd, 0, SEEK_SET) == 0 ? sys_read((int)fd, buf, sizeof buf) : -1, 100);
    ok &= expect("grown part is zero", buf[3] == 0 && buf[99] == 0 && buf[2] == 'c', 1);
    ok &= expect("ftruncate 2", sys_ftruncate((int)fd, 2), 0);
    ok &= expect("fstat", sys_fstat((int)fd, &st), 0) && expect("size after shrink", st.st_size, 2);
    sys_close((int)fd);
    long ro = sys_open("/t_fs/f/t", O_RDONLY, 0);
    ok &= expect("ftruncate on O_RDONLY", sys_ftruncate((int)ro, 0), -EBADF);
    sys_close((int)ro);
    return ok;
}

static bool rename_case(void)
{
    char buf[32];
    struct stat st;
    bool ok = expect_ok("mkdir", sys_mkdir("/t_fs/g/sub"));
    put_file("/t_fs/g/from", "moved");
    put_file("/t_fs/g/sub/to", "replaced");
    ok &= expect("rename file", sys_rename("/t_fs/g/from", "/t_fs/g/sub/to"), 0);
    ok &= expect("old name", sys_stat("/t_fs/g/from", &st), -ENOENT);
    get_file("/t_fs/g/sub/to", buf, sizeof buf);
    ok &= same_text("new name's contents", buf, "moved");
    ok &= expect("rename dir", sys_rename("/t_fs/g/sub", "/t_fs/g/sub2"), 0);
    ok &= expect("file in moved dir", sys_stat("/t_fs/g/sub2/to", &st), 0);
    ok &= expect("into own subtree", sys_rename("/t_fs/g", "/t_fs/g/sub2/g"), -EINVAL);
    ok &= expect("missing source", sys_rename("/t_fs/g/none", "/t_fs/g/x"), -ENOENT);
    return ok;
}

static bool unlink_while_open(void)
{
    char buf[32];
    struct stat st;
    put_file("/t_fs/h/gone", "still readable");
    long fd = sys_open("/t_fs/h/gone", O_RDONLY, 0);
    bool ok = expect("unlink", sys_unlink("/t_fs/h/gone"), 0);
    ok &= expect("stat after unlink", sys_stat("/t_fs/h/gone", &st), -ENOENT);
    ok &= expect("fstat nlink", sys_fstat((int)fd, &st) == 0 ? (long)st.st_nlink : -1, 0);
    long n = sys_read((int)fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = '\0';
    ok &= same_text("read after unlink", buf, "still readable");
    ok &= expect("close", sys_close((int)fd), 0);
    ok &= expect("unlink again", sys_unlink("/t_fs/h/gone"), -ENOENT);
    return ok;
}

static bool mkdir_getdents(void)
{
    bool ok = expect("mkdir", sys_mkdir("/t_fs/i/dir"), 0);
    ok &= expect("mkdir sub", sys_mkdir("/t_fs/i/dir/sub"), 0);
    put_file("/t_fs/i/dir/file1", "1");
    put_file("/t_fs/i/dir/file2", "2");
    long fd = sys_open("/t_fs/i/dir", O_RDONLY, 0);
    struct dirent d[8];
    char names[200] = "";
    long n;
    bool sub_is_dir = false;
    while ((n = sys_getdents((int)fd, d, sizeof d)) > 0)
        for (long i = 0; i < n / (long)sizeof(struct dirent); i++) {
            strcat(names, " ");
            strcat(names, d[i].d_name);
            if (strcmp(d[i].d_name, "sub") == 0)
                sub_is_dir = d[i].d_type == DT_DIR;
        }
    ok &= expect("getdents end", n, 0);
    ok &= same_text("listing", names, " . .. sub file1 file2");
    ok &= expect("sub is DT_DIR", sub_is_dir, 1);
    ok &= expect("buffer under one record", sys_getdents((int)fd, d, 10), -EINVAL);
    sys_close((int)fd);
    ok &= expect("rmdir non-empty", sys_rmdir("/t_fs/i/dir"), -ENOTEMPTY);
    ok &= expect("unlink a directory", sys_unlink("/t_fs/i/dir/sub"), -EISDIR);
    ok &= expect("rmdir a file", sys_rmdir("/t_fs/i/dir/file1"), -ENOTDIR);
    ok &= expect("rmdir sub", sys_rmdir("/t_fs/i/dir/sub"), 0);
    ok &= expect("unlink file1", sys_unlink("/t_fs/i/dir/file1"), 0);
    ok &= expect("unlink file2", sys_unlink("/t_fs/i/dir/file2"), 0);
    ok &= expect("rmdir now empty", sys_rmdir("/t_fs/i/dir"), 0);
    return ok;
}

static bool chdir_getcwd(void)
{
    char cwd[64];
    struct stat st;
    bool ok = expect("chdir", sys_chdir("/t_fs/j"), 0);
    ok &= expect("getcwd", sys_getcwd(cwd, sizeof cwd), 8) && same_text("cwd", cwd, "/t_fs/j");
    ok &= expect("getcwd small", sys_getcwd(cwd, 4), -ERANGE);
    ok &= expect("relative create", put_file("rel", "r"), 1);
    ok &= expect("absolute stat", sys_stat("/t_fs/j/rel", &st), 0);
    ok &= expect("dot-dot", sys_stat("../j/./rel", &st), 0);
    ok &= expect("chdir to a file", sys_chdir("rel"), -ENOTDIR);
    pid_t pid = fork();
    if (pid == 0) {
        char mine[64];
        long n = sys_getcwd(mine, sizeof mine);
        _exit(n == 8 && strcmp(mine, "/t_fs/j") == 0 ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ok &= expect("child's cwd is the parent's (exit status)", status, 0);
    ok &= expect("chdir ..", sys_chdir(".."), 0);
    ok &= expect("getcwd", sys_getcwd(cwd, sizeof cwd), 6) && same_text("cwd", cwd, "/t_fs");
    ok &= expect("chdir /", sys_chdir("/"), 0);
    return ok;
}

static bool names_too_long(void)
{
    char name[80], path[TP_PATH_MAX + 8];
    memset(name, 'n', sizeof name);
    strcpy(name, "/t_fs/");
    memset(name + 6, 'n', NAME_MAX + 1);
    name[6 + NAME_MAX + 1] = '\0';
    bool ok = expect("component > NAME_MAX", sys_open(name, O_CREAT | O_WRONLY, 0644), -ENAMETOOLONG);
    ok &= expect("mkdir component > NAME_MAX", sys_mkdir(name), -ENAMETOOLONG);
    name[6 + NAME_MAX] = '\0';
    long fd = sys_open(name, O_CREAT | O_WRONLY, 0644);
    ok &= expect_ok("component of NAME_MAX", fd);
    sys_close((int)fd);
    sys_unlink(name);
    memset(path, '/', sizeof path);
    path[TP_PATH_MAX] = '\0';
    ok &= expect("path of TP_PATH_MAX bytes", sys_stat(path, &(struct stat){0}), -ENAMETOOLONG);
    path[TP_PATH_MAX - 1] = '\0';
    ok &= expect("path of TP_PATH_MAX - 1 bytes", sys_stat(path, &(struct stat){0}), 0);
    return ok;
}

static bool pipe_eof(void)
{
    int fds[2];
    char buf[16] = {0};
    struct stat st;
    bool ok = expect("pipe", sys_pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sys_close(fds[0]);
        _exit(sys_write(fds[1], "ping", 4) == 4 ? 0 : 1);
    }
    sys_close(fds[1]);
    ok &= expect("read", sys_read(fds[0], buf, sizeof buf), 4) && same_text("data", buf, "ping");
    ok &= expect("read at EOF", sys_read(fds[0], buf, sizeof buf), 0);
    ok &= expect("fstat", sys_fstat(fds[0], &st), 0) && expect("S_ISFIFO", S_ISFIFO(st.st_mode), 1);
    sys_close(fds[0]);
    int status = 1;
    waitpid(pid, &status, 0);
    return ok && expect("writer's status", status, 0);
}

static bool pipe_sigpipe(void)
{
    int fds[2];
    bool ok = expect("pipe", sys_pipe(fds), 0);
    sys_close(fds[0]);          /* nobody will read: before the fork */
    pid_t pid = fork();
    if (pid == 0) {
        sys_write(fds[1], "x", 1);
        _exit(0);               /* not reached: SIGPIPE ends the child */
    }
    sys_close(fds[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE;
    if (!killed)
        ktap_diag("expected the writer killed by SIGPIPE (13), it %s", ktap_status(status));
    return ok && killed;
}

#define LARGE (64 * 1024)

static bool pipe_large(void)
{
    int fds[2];
    static unsigned char buf[4096];
    bool ok = expect("pipe", sys_pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sys_close(fds[0]);
        static unsigned char out[1000];
        for (long sent = 0; sent < LARGE;) {
            long n = LARGE - sent < (long)sizeof out ? LARGE - sent : (long)sizeof out;
            for (long i = 0; i < n; i++)
                out[i] = (unsigned char)((sent + i) % 251);
            if (sys_write(fds[1], out, (size_t)n) != n)
                _exit(1);
            sent += n;
        }
        _exit(0);
    }
    sys_close(fds[1]);
    long got = 0, n;
    bool in_order = true;
    while ((n = sys_read(fds[0], buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++)
            in_order &= buf[i] == (unsigned char)((got + i) % 251);
        got += n;
    }
    sys_close(fds[0]);
    int status = 1;
    waitpid(pid, &status, 0);
    ok &= expect("bytes through the pipe", got, LARGE) && expect("last read", n, 0);
    ok &= expect("bytes in order", in_order, 1) && expect("writer's status", status, 0);
    return ok;
}

/* In the exec'd child: argv[2] must be closed, argv[3] open on "kept". */
static int cloexec_child(char **argv)
{
    int gone = atoi(argv[2]), kept = atoi(argv[3]);
    char buf[8] = {0};
    struct stat st;
    if (sys_fstat(gone, &st) != -EBADF)
        return 2;
    if (sys_read(kept, buf, 4) != 4 || strcmp(buf, "kept") != 0)
        return 3;
    return 0;
}

static bool dup2_cloexec_exec(void)
{
    put_file("/t_fs/k/f", "kept");
    long fd = sys_open("/t_fs/k/f", O_RDONLY | O_CLOEXEC, 0);
    bool ok = expect_ok("open O_CLOEXEC", fd);
    ok &= expect("dup2", sys_dup2((int)fd, 9), 9);
    ok &= expect("dup2 onto itself", sys_dup2(9, 9), 9);
    ok &= expect("dup2 of a closed fd", sys_dup2(12, 13), -EBADF);
    ok &= expect("dup2 out of range", sys_dup2(9, TP_OPEN_MAX), -EBADF);
    pid_t pid = fork();
    if (pid == 0) {
        char a[8], b[8];
        snprintf(a, sizeof a, "%ld", fd);
        snprintf(b, sizeof b, "%d", 9);
        char *argv[] = {"t_fs", "cloexec-child", a, b, NULL};
        char *envp[] = {NULL};
        execve("/bin/t_fs", argv, envp);
        _exit(99);
    }
    int status = 1;
    waitpid(pid, &status, 0);
    if (status != 0)
        ktap_diag("the exec'd child exited %s (2: the O_CLOEXEC fd was open, 3: the dup2 "
                  "copy was not, 99: exec failed)", ktap_status(status));
    sys_close((int)fd);
    sys_close(9);
    return ok && status == 0;
}

static bool exec_written_program(void)
{
    static char buf[4096];
    long in = sys_open("/bin/t_fs", O_RDONLY, 0);
    long out = sys_open("/t_fs/l/copy", O_WRONLY | O_CREAT | O_EXCL, 0755);
    bool ok = expect_ok("open /bin/t_fs", in) && expect_ok("create copy", out);
    long n;
    while ((n = sys_read((int)in, buf, sizeof buf)) > 0)
        ok &= expect("write", sys_write((int)out, buf, (size_t)n), n);
    sys_close((int)in);
    sys_close((int)out);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"copy", "exit-7", NULL};
        char *envp[] = {NULL};
        execve("/t_fs/l/copy", argv, envp);
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ok &= expect("the copy ran and exited 7", status, W_EXITCODE(7));
    char *argv[] = {"dir", NULL};
    char *envp[] = {NULL};
    long r = execve("/t_fs/l", argv, envp);
    ok &= expect("exec of a directory", r < 0 ? -errno : r, -EACCES);
    return ok;
}

static bool emfile(void)
{
    int opened = 0;
    long fd;
    while ((fd = sys_open("/t_fs", O_RDONLY, 0)) >= 0)
        opened++;
    bool ok = expect("open when full", fd, -EMFILE);
    ok &= expect("descriptors in all", opened + 3, TP_OPEN_MAX);
    ok &= expect("dup when full", sys_dup(0), -EMFILE);
    int fds[2];
    ok &= expect("pipe when full", sys_pipe(fds), -EMFILE);
    for (int i = 3; i < TP_OPEN_MAX; i++)
        sys_close(i);
    ok &= expect("open after closing", fd = sys_open("/t_fs", O_RDONLY, 0), 3);
    sys_close((int)fd);
    return ok;
}

/* A child blocked in a pipe: fill it first if `writer`. kill() must end it. */
static bool kill_blocked(bool writer)
{
    int fds[2];
    bool ok = expect("pipe", sys_pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        static char big[8192];
        char c;
        if (writer)
            sys_write(fds[1], big, sizeof big);     /* blocks after 4 KiB */
        else
            sys_read(fds[0], &c, 1);                /* blocks: nothing comes */
        _exit(0);
    }
    /* Wait until the child sleeps in the pipe (or give up after a while:
     * the kill must work either way). */
    struct stat st;
    for (int i = 0; i < 1000; i++) {
        sys_fstat(fds[0], &st);
        if ((writer && st.st_size == 4096) || (!writer && i == 10))
            break;
        yield();
    }
    ok &= expect("kill", kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!killed)
        ktap_diag("the %s child %s, expected killed by signal 9", writer ? "writing" : "reading",
                  ktap_status(status));
    sys_close(fds[0]);
    sys_close(fds[1]);
    return ok && killed;
}

static bool blocked_pipe_killed(void)
{
    return kill_blocked(false) & kill_blocked(true);
}

/* One round of file and pipe work that must give back every frame. */
static void frames_round(void)
{
    static char data[5 * 4096];
    memset(data, 'f', sizeof data);
    long fd = sys_open("/t_fs/r/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    sys_write((int)fd, data, sizeof data);
    sys_lseek((int)fd, 0, SEEK_SET);
    sys_read((int)fd, data, sizeof data);
    sys_close((int)fd);
    sys_unlink("/t_fs/r/big");
    sys_mkdir("/t_fs/r/d");
    sys_rmdir("/t_fs/r/d");
    int fds[2];
    sys_pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        sys_write(fds[1], data, sizeof data);
        _exit(0);
    }
    sys_close(fds[1]);
    while (sys_read(fds[0], data, sizeof data) > 0)
        ;
    sys_close(fds[0]);
    waitpid(pid, NULL, 0);
}

static bool no_frame_leaks(void)
{
    frames_round();             /* the first round may grow the kernel heap */
    long before = freeframes();
    frames_round();
    long after = freeframes();
    return expect("free frames after the second round", after, before);
}

static const struct {
    const char *name;
    bool (*run)(void);
} cases[] = {
    {"create_write_read", create_write_read}, {"append", append},
    {"excl", excl},                           {"access_modes", access_modes},
    {"lseek_and_holes", lseek_and_holes},     {"truncate", truncate_case},
    {"rename", rename_case},                  {"unlink_while_open", unlink_while_open},
    {"mkdir_getdents", mkdir_getdents},       {"chdir_getcwd", chdir_getcwd},
    {"names_too_long", names_too_long},       {"pipe_eof", pipe_eof},
    {"pipe_sigpipe", pipe_sigpipe},           {"pipe_large", pipe_large},
    {"dup2_cloexec_exec", dup2_cloexec_exec}, {"exec_written_program", exec_written_program},
    {"emfile", emfile},                       {"blocked_pipe_killed", blocked_pipe_killed},
    {"no_frame_leaks", no_frame_leaks},
};

#define NCASES (sizeof cases / sizeof cases[0])

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "cloexec-child") == 0)
        return cloexec_child(argv);
    if (argc == 2 && strcmp(argv[1], "exit-7") == 0)
        return 7;
    ktap_plan((int)NCASES);
    /* A fresh tree: /t_fs/a, /t_fs/b, ... one directory per case. */
    sys_mkdir("/t_fs");
    for (size_t i = 0; i < NCASES; i++) {
        char dir[16];
        snprintf(dir, sizeof dir, "/t_fs/%c", (char)('a' + i));
        long r = sys_mkdir(dir);
        if (r != 0 && r != -EEXIST)
            ktap_diag("mkdir %s: %s", dir, ktap_raw(r));
    }
    for (size_t i = 0; i < NCASES; i++)
        ktap_result(cases[i].run(), "%s", cases[i].name);
    return ktap_finish();
}
