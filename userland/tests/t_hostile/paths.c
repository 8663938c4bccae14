/*
 * paths.c -- group "path": the file system's tree used against itself.
 *
 *   deep       200 directories, each inside the last (mkdir + chdir):
 *              getcwd has no room for the path (ERANGE), files can still
 *              be made down there by relative path, and everything goes
 *              again on the way up
 *   gone_cwd   the working directory removed under the process: getcwd
 *              and creating a file there say ENOENT; ".." from it too
 *              (the directory is unlinked), an absolute path still works
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <tidepool.h>
#include <unistd.h>

#include <rlimit.h>     /* kernel/abi: TP_PATH_MAX */

#include "hostile.h"

enum { DEPTH = 200 };

/* getcwd's answer at depth DEPTH (2 bytes a level: past TP_PATH_MAX),
 * if a file can be made and removed there and the tree comes down. */
static long deep_directories(long unused)
{
    (void)unused;
    if (mkdir("/hostile.deep", 0755) != 0 || chdir("/hostile.deep") != 0)
        return -27000;
    int made = 0;
    while (made < DEPTH && mkdir("d", 0755) == 0 && chdir("d") == 0)
        made++;
    char buf[TP_PATH_MAX];
    long r = sys3(SYS_getcwd, word(buf), sizeof buf, 0);
    int fd = open("f", O_CREAT | O_WRONLY, 0644);
    bool file_ok = fd >= 0 && close(fd) == 0 && unlink("f") == 0;
    for (int i = 0; i < made; i++)
        if (chdir("..") != 0 || rmdir("d") != 0)
            return -27001;
    chdir("/");
    if (rmdir("/hostile.deep") != 0 || made != DEPTH || !file_ok)
        return -27002;
    return r;
}

/* What the process sees in a directory that was removed under it. */
static long removed_cwd(long which)
{
    if (mkdir("/hostile.gone", 0755) != 0 || chdir("/hostile.gone") != 0 ||
        rmdir("/hostile.gone") != 0)
        return -28000;
    char buf[64];
    switch (which) {
    case 0:
        return sys3(SYS_getcwd, word(buf), sizeof buf, 0);
    case 1:
        return sys3(SYS_open, word("f"), O_CREAT | O_WRONLY, 0644);
    case 2:
        return sys3(SYS_mkdir, word("sub"), 0755, 0);
    default:
        return sys3(SYS_open, word("/bin/hello"), O_RDONLY, 0) >= 0 ? 0 : -28001;
    }
}

static const struct hcase cases[] = {
    {"path.deep_200_levels.getcwd_erange", RETURNS, -ERANGE, deep_directories, 0},
    {"path.removed_cwd.getcwd", RETURNS, -ENOENT, removed_cwd, 0},
    {"path.removed_cwd.create_file", RETURNS, -ENOENT, removed_cwd, 1},
    {"path.removed_cwd.mkdir", RETURNS, -ENOENT, removed_cwd, 2},
    {"path.removed_cwd.absolute_still_works", RETURNS, 0, removed_cwd, 3},
};

const struct hgroup path_cases = HGROUP(cases);
