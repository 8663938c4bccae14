/*
 * locks.c -- the locks the kernel holds, and who holds them
 * (SYS_lockinfo): the kernel monitor's `locks` command, from the shell.
 *
 *     locks
 *
 * Output, in the rows the monitor prints too (abi/lockinfo.h formats
 * both):
 *
 *     1 lock held
 *       LOCK                       KIND  CPU THREAD               TAKEN AT
 *       lockinfo                   mutex 1   12 locks             sys_lockinfo+0x3e
 *
 * One row per held lock: its name, its kind (spin, mutex, read, write),
 * the CPU it was taken on, the holder (tid and name) and the kernel
 * function that took it. The kernel holds "lockinfo" while it looks,
 * for this program: that row is always there. With the kernel's lock
 * checks off (sync_checks=0) nothing is recorded, and a first line says
 * so. Errors: "locks: <why>" on stderr, exit 1; any argument: a usage
 * line, exit 1.
 */
#if LAB >= 5
#include <stdio.h>
#include <tidepool.h>

static struct locks_info info;

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: locks\n");
        return 1;
    }
    if (lockinfo(&info) != 0) {
        perror("locks");
        return 1;
    }
    char line[LOCKINFO_LINE_MAX];
    locks_format_head(line, sizeof line, &info);
    fputs(line, stdout);
    for (uint32_t i = 0; i < info.nheld && i < LOCKINFO_MAX; i++) {
        lock_info_format(line, sizeof line, &info.lock[i]);
        fputs(line, stdout);
    }
    if (info.nheld > LOCKINFO_MAX)
        printf("  ... and %u more\n", (unsigned)(info.nheld - LOCKINFO_MAX));
    return 0;
}
#endif /* LAB >= 5 */
