"""Resource limits, process groups, signal(SIG_IGN), procinfo (issue 12).

Not graded (no lab): `make test-userland-qemu` runs it. /bin/t_limits runs
as process 1 and reports KTAP; userland/tests/t_limits.c says what each
case expects. Try it:  make qemu CMDLINE="run=/bin/t_limits"
"""

from tidepool.userprog import run_program


def test_t_limits(boot, initrd):
    """t_limits: fork's EAGAIN, the memory cap, sbrk shrink, groups, signal(), procinfo"""
    run_program(boot, initrd, ["/bin/t_limits"]).expect_all_pass()
