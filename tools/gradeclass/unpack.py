"""A submission entry -> its own work directory.

An entry of SUBMISSIONS is a git repository (a directory with .git, or a
bare one), a git bundle (*.bundle), a tarball (*.tar, *.tar.gz, *.tgz,
*.tar.xz, *.tar.bz2) or a plain directory. The host only copies the entry
(never following a symlink in it); git and tar run inside the sandbox as
nobody, so a hostile archive (../ paths, absolute symlinks, a repository
config with hooks) can only touch the work directory.
"""

import os
import shutil
import subprocess
from pathlib import Path

TARBALL_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2")


def kind_of(entry: Path) -> str:
    """'git', 'bundle', 'tar', 'dir', or '' for what is not a submission."""
    if entry.is_symlink():
        return ""
    name = entry.name
    if entry.is_dir():
        if (entry / ".git").exists() or ((entry / "HEAD").is_file() and (entry / "objects").is_dir()):
            return "git"
        return "dir"
    if not entry.is_file():
        return ""
    if name.endswith(".bundle"):
        return "bundle"
    if name.endswith(TARBALL_SUFFIXES):
        return "tar"
    return ""


def student_name(entry: Path) -> str:
    name = entry.name
    for suffix in (".bundle",) + TARBALL_SUFFIXES + (".git",):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def stage_input(entry: Path, kind: str, staging: Path) -> Path:
    """Copy the entry where the sandbox can read it; returns the copy."""
    target = staging / ("in" + ("" if kind in ("git", "dir") else "." + kind))
    if kind in ("git", "dir"):
        # cp -a: symlinks are copied as symlinks, never followed.
        subprocess.run(["cp", "-a", "--no-dereference", "--", str(entry), str(target)],
                       check=True)
    else:
        shutil.copyfile(entry, target, follow_symlinks=False)
    return target


def inside_command(kind: str, staged_name: str) -> list:
    """The command the sandbox runs (the staged input at /in/NAME, the work dir /sub)."""
    src = "/in/" + staged_name
    if kind == "git":
        return ["git", "-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null",
                "clone", "--quiet", "--no-hardlinks", "--", src, "/sub"]
    if kind == "bundle":
        return ["git", "-c", "core.hooksPath=/dev/null", "clone", "--quiet", "--", src, "/sub"]
    if kind == "tar":
        return ["tar", "-xf", src, "-C", "/sub", "--no-same-owner", "--no-same-permissions"]
    return ["cp", "-a", "--no-dereference", src + "/.", "/sub/"]


def flatten(work: Path) -> None:
    """A tarball of one top directory (tidepool/Makefile...) -> its contents."""
    entries = list(work.iterdir())
    if len(entries) != 1:
        return
    top = entries[0]
    if top.is_symlink() or not top.is_dir() or not (top / "Makefile").exists():
        return
    hold = work.parent / (work.name + ".flatten")
    os.rename(top, hold)
    for child in hold.iterdir():
        os.rename(child, work / child.name)
    os.rmdir(hold)
