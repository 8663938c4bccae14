"""A console session driven like a user at the shell's '$ ' prompt.

Each test boots the kernel with the initrd and no command line (what
`make qemu` does): init starts /bin/sh, the test types lines and reads
what comes back before the next prompt. Not graded: `make
test-userland-qemu` (and make check) runs these. Try it yourself: `make qemu`.
"""

import re

from tidepool.errors import fail, indent

TEN_MB = 10 * 1024 * 1024


def show(out):
    return "\n" + indent(out if isinstance(out, list) else out.split("\n"))


def test_pipeline_of_three(shell):
    """`echo hi | cat | wc -c` prints 3"""
    sh = shell()
    out = sh.lines("echo hi | cat | wc -c")
    if out != ["3"] and [ln.strip() for ln in out] != ["3"]:
        fail("expected `echo hi | cat | wc -c` to print 3; it printed:" + show(out))


def test_ls_into_a_file(shell):
    """`ls / > f; cat f` lists the initrd's top level: bin, bad"""
    sh = shell()
    out = sh.lines("ls / > f; cat f")
    names = set(w for ln in out for w in ln.split())
    if not {"bin", "bad"} <= names:
        fail("expected `ls / > f; cat f` to list bin and bad; it printed:" + show(out))
    sh.run("rm f")
    if sh.status() != 0:
        fail("`rm f` failed")


def test_missing_file_is_an_error(shell):
    """`cat nosuchfile` says so, and $? is not 0"""
    sh = shell()
    out = sh.run("cat nosuchfile")
    if "nosuchfile" not in out:
        fail("expected `cat nosuchfile` to print an error naming the file; it printed:"
             + show(out))
    status = sh.status()
    if status == 0:
        fail("expected `echo $?` after `cat nosuchfile` to be non-zero; it was 0")
    out = sh.lines("echo $?")
    if out != ["0"]:
        fail("expected `echo $?` after a successful `echo` to print 0; it printed:" + show(out))


def test_ctrl_c_ends_the_foreground_command(shell):
    """Ctrl-C ends `sleep 100`; the prompt comes back; the shell still works"""
    sh = shell()
    sh.c.sendline("sleep 100")
    sh.expect(r"sleep 100\r?\n", what="the echo of `sleep 100`")
    sh.interrupt_until_prompt("`sleep 100` is running")
    status = sh.status()
    if status == 0:
        fail("expected `echo $?` after Ctrl-C ended `sleep 100` to be non-zero (130 in "
             "POSIX shells); it was 0")
    out = sh.lines("echo still here")
    if out != ["still here"]:
        fail("after Ctrl-C, expected `echo still here` to answer; it printed:" + show(out))


def test_fork_bomb_leaves_the_shell_responsive(shell):
    """A fork bomb fills the process table; Ctrl-C ends it; `echo ok` answers"""
    sh = shell()
    sh.c.sendline("forkbomb")
    sh.expect(r"forkbomb: limit reached", base=60.0,
              what="'forkbomb: limit reached' (the bomb hit the process limit)")
    sh.interrupt_until_prompt("the fork bomb is running")
    out = sh.lines("echo ok", base=20.0)
    if out != ["ok"]:
        fail("after the fork bomb and Ctrl-C, expected `echo ok` to print ok; it printed:"
             + show(out))
    # Every bomb process got SIGINT, but each ends when it next runs and
    # init reaps the orphans after that: ask ps again (a bounded number of
    # times) until none is listed.
    for _ in range(20):
        bombs = [ln for ln in sh.lines("ps") if "forkbomb" in ln]
        if not bombs:
            break
    if bombs:
        fail("after Ctrl-C, forkbomb processes are still listed by ps (20 times asked):"
             + show(bombs))


def test_ten_megabytes_through_pipes(shell):
    """10 MiB through `cat` into `wc -c`: exactly 10485760; and `yes | head` (yes ends by SIGPIPE)"""
    sh = shell()
    for line in (f"usertests --emit {TEN_MB} | cat | wc -c",
                 f"yes | head -n {TEN_MB // 2} | wc -c"):
        out = sh.lines(line, base=120.0)
        if [ln.strip() for ln in out] != [str(TEN_MB)]:
            fail(f"expected `{line}` to print {TEN_MB}; it printed:" + show(out))
        status = sh.status()
        if status != 0:
            fail(f"expected `echo $?` after `{line}` to print 0 (the last command's status); "
                 f"it printed {status}")


def test_redirections(shell):
    """`>`, `>>`, `<` and `2>`"""
    sh = shell()
    for line in ("echo one > f", "echo two >> f"):
        out = sh.lines(line)
        if out:
            fail(f"expected `{line}` to print nothing; it printed:" + show(out))
    out = sh.lines("cat < f")
    if out != ["one", "two"]:
        fail("expected `cat < f` to print one, two; it printed:" + show(out))
    out = sh.lines("wc -c < f")
    if [ln.strip() for ln in out] != ["8"]:
        fail("expected `wc -c < f` to print 8; it printed:" + show(out))
    out = sh.lines("echo three > f")
    out = sh.lines("cat f")
    if out != ["three"]:
        fail("expected `>` to truncate: `cat f` printed:" + show(out))
    out = sh.lines("cat nosuchfile 2> err")
    if out:
        fail("expected `cat nosuchfile 2> err` to print nothing on the console; it printed:"
             + show(out))
    out = sh.lines("cat err")
    if not any("nosuchfile" in ln for ln in out):
        fail("expected the file err to hold cat's error message; `cat err` printed:" + show(out))
    sh.run("rm f err")
    out = sh.lines("ls")
    if any(w in ("f", "err") for ln in out for w in ln.split()):
        fail("`rm f err` left them:" + show(out))


def test_background_job(shell):
    """`sleep 100 &` gives the prompt back at once; the job runs on"""
    sh = shell()
    out = sh.lines("sleep 100 &")
    if any("sleep" in ln and ("not found" in ln or "rror" in ln) for ln in out):
        fail("`sleep 100 &` failed:" + show(out))
    out = sh.lines("echo after")
    if out != ["after"]:
        fail("expected `echo after` to answer while `sleep 100 &` runs; it printed:" + show(out))
    out = sh.lines("ps")
    if not any(re.search(r"\bsleep\b", ln) for ln in out):
        fail("expected ps to list the background sleep; it printed:" + show(out))


def test_cd_and_relative_paths(shell):
    """`cd` changes the directory the shell and its commands see"""
    sh = shell()
    for line in ("mkdir d", "cd d", "echo inside > f", "cd ..", "mkdir d/e", "cd d/e"):
        out = sh.lines(line)
        if out:
            fail(f"expected `{line}` to print nothing; it printed:" + show(out))
    out = sh.lines("cat ../f")
    if out != ["inside"]:
        fail("expected `cat ../f` in d/e to print inside; it printed:" + show(out))
    sh.run("cd /")
    out = sh.lines("cat d/f")
    if out != ["inside"]:
        fail("expected `cat d/f` in / to print inside; it printed:" + show(out))
    out = sh.run("cd /nosuch")
    if sh.status() == 0:
        fail("expected `cd /nosuch` to fail; it printed:" + show(out))
    sh.run("rm d/f")
    sh.run("rmdir d/e")
    sh.run("rmdir d")
    out = sh.lines("ls /")
    if any(w == "d" for ln in out for w in ln.split()):
        fail("the directory d is still there after rm and rmdir:" + show(out))


def test_usertests_from_the_shell(shell):
    """`usertests` at the prompt: every case ok, the free-frame check included"""
    sh = shell()
    out = sh.run("usertests", base=240.0)
    lines = [ln.rstrip() for ln in out.split("\n")]
    plan = next((ln for ln in lines if re.fullmatch(r"1\.\.\d+", ln)), None)
    results = [ln for ln in lines if re.match(r"(not )?ok \d+ ", ln)]
    bad = [ln for ln in results if ln.startswith("not ok")]
    if plan is None or bad or len(results) != int(plan[3:]):
        fail(f"expected usertests to pass every case ({plan or 'no plan'}, "
             f"{len(results)} reported); failed:" + show(bad or lines[-25:]) +
             "\nits output was:" + show(lines[-60:]))
    # (under KASAN the case is skipped, with its reason after " # SKIP")
    if not results[-1].split(" # ")[0].endswith(" no_frames_leaked"):
        fail("expected usertests' last case to be no_frames_leaked; it was " + results[-1])
    if sh.status() != 0:
        fail("expected `echo $?` after usertests to print 0")
