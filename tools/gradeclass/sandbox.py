"""The bubblewrap command line of one sandboxed phase.

What a phase sees (and nothing else of the host):
  /usr, /etc      read-only (/bin, /lib, /sbin... are the usual symlinks)
  /dev, /proc     bwrap's minimal ones; /proc of its own pid namespace
  /tmp            a private tmpfs, size-capped
  the binds the caller names, read-only or writable (the submission's work
                  dir at /sub, the trusted grading/ at /sub/grading, ...)
No network (--unshare-net: only a loopback of its own), its own pid, IPC,
UTS and cgroup namespaces, a new session (no TIOCSTI into our terminal),
no capabilities, no further user namespaces, an empty environment but for
what we set. Everything runs as host uid 65534 (nobody): not root, so
RLIMIT_NPROC holds (the kernel never applies it to uid 0) and files the
sandbox may write must be owned by that uid (the caller chowns them).
The limits (limits.py) are set by prlimit inside, right before CMD.
"""

import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence, Tuple

from .limits import Limits

SANDBOX_UID = 65534
# The merged-/usr links of a Debian root; a host without them gets binds.
ROOT_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
BASE_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "TERM": "dumb",
}


def root_argv() -> list:
    """The read-only system a sandbox sees: /usr, /etc and the root links."""
    argv = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ROOT_LINKS:
        path = Path("/") / name
        if path.is_symlink():
            argv += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            argv += ["--ro-bind", str(path), str(path)]
    return argv


def command(cmd: Sequence[str], limits: Limits, *,
            ro: Iterable[Tuple[Path, str]] = (), rw: Iterable[Tuple[Path, str]] = (),
            cwd: str = "/sub", env: Mapping[str, str] = ()) -> list:
    """argv that runs CMD in a fresh sandbox; ro/rw are (host path, sandbox path)."""
    argv = ["setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}",
            "--clear-groups", "--inh-caps=-all",
            "bwrap", "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    argv += root_argv()
    argv += ["--dev", "/dev", "--proc", "/proc",
             "--size", str(limits.tmp_mb * 1024 * 1024), "--tmpfs", "/tmp"]
    # Order matters: a bind over a path inside an earlier bind (the trusted
    # grading/ over the work dir's) must come after it.
    for host, inside in rw:
        argv += ["--bind", str(host), inside]
    for host, inside in ro:
        argv += ["--ro-bind", str(host), inside]
    argv += ["--remount-ro", "/", "--clearenv"]
    for key, value in {**BASE_ENV, **dict(env)}.items():
        argv += ["--setenv", key, value]
    argv += ["--chdir", cwd]
    return argv + limits.prlimit_argv() + list(cmd)


def give_to_sandbox(path: Path) -> None:
    """Make PATH (a fresh directory tree of ours) writable by the sandbox's
    uid. lchown: a symlink in it is never followed."""
    for root, dirs, files in os.walk(path):
        os.lchown(root, SANDBOX_UID, SANDBOX_UID)
        for name in dirs + files:
            os.lchown(os.path.join(root, name), SANDBOX_UID, SANDBOX_UID)


def reachable(path: Path) -> bool:
    """Can uid 65534 get to PATH? Every directory above it must let others
    search it (o+x): bwrap, running as that uid, resolves the bind sources."""
    path = path.resolve()
    for parent in [path, *path.parents][1:]:
        if not parent.stat().st_mode & 0o001:
            return False
    return True

