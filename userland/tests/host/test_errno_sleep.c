/*
 * test_errno_sleep.c -- strerror/strerrorname_np know every error number
 * of the ABI (lib/strerror.c), and sleep/usleep/msleep round up to whole
 * timer ticks (lib/sleep.c, over a fake sleep_ticks()).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "host_libc.h"

/* Every "#define ENAME number" of kernel/abi/errno.h, read from the file
 * itself, so that a number added there without a message fails here. */
Test(errno, every_abi_errno_has_a_name_and_message)
{
    /* glibc's open and read: this file's fopen is the libc's (renamed). */
    static char text[8192];
    int fd = open("kernel/abi/errno.h", O_RDONLY);
    cr_assert_geq(fd, 0, "run from the top of the tree");
    ssize_t len = read(fd, text, sizeof text - 1);
    close(fd);
    cr_assert_gt(len, 0);
    int seen = 0;
    for (char *line = text; line != NULL && *line != '\0'; line = strchr(line, '\n'), line += line != NULL) {
        char name[64];
        int number;
        if (sscanf(line, "#define %63s %d", name, &number) != 2 || name[0] != 'E')
            continue;
        seen++;
        const char *known = user_strerrorname_np(number);
        cr_expect(known != NULL && strcmp(known, name) == 0, "%s (%d): strerrorname_np says %s",
                  name, number, known != NULL ? known : "NULL");
        cr_expect(strncmp(user_strerror(number), "Unknown error", 13) != 0,
                  "%s (%d) has no message", name, number);
    }
    cr_expect_geq(seen, 27, "read only %d error numbers", seen);
    cr_expect_str_eq(user_strerror(25), "Inappropriate ioctl for device");
    cr_expect_str_eq(user_strerror(9999), "Unknown error 9999");
    cr_expect_null(user_strerrorname_np(0));
}

Test(sleep, rounds_up_to_whole_ticks)
{
    cr_expect_eq(user_ticks_per_second(), 100, "the kernel's default timer_hz");
    user_sleep(2);
    cr_expect_eq(fake_slept, 200);
    user_usleep(1);
    cr_expect_eq(fake_slept, 1, "never shorter than asked");
    user_usleep(10000);
    cr_expect_eq(fake_slept, 1);
    user_usleep(10001);
    cr_expect_eq(fake_slept, 2);
    user_msleep(0);
    cr_expect_eq(fake_slept, 0);
    user_msleep(1005);
    cr_expect_eq(fake_slept, 101);
    user_usleep(4000000000u);
    cr_expect_eq(fake_slept, 400000, "no 32-bit overflow");
    user_sleep(4294967295u);
    cr_expect_eq(fake_slept, 4294967295u, "clamped to what SYS_sleep takes");
}
