"""User programs' symbols (lab 4 part 2): where they are, which are loaded.

`make` links every user program to $(BUILD)/userland/bin/NAME with debug
information (the initrd holds stripped copies of the same files), at the
fixed addresses of userland/user.ld: the text from USER_TEXT, 0x40000000.
So `add-symbol-file FILE` needs no address, and any two programs overlap:
GDB can hold the symbols of one program at a time. usymbols keeps it so.
"""
import os
import struct

import gdb

USER_BASE = 0x40000000          # kernel/abi/syscall.h: user space starts here
PROC_NAME_MAX = 16              # kernel/proc/process.h: names keep 15 characters


def _repo_root(start):
    """The first directory from `start` upwards that holds userland/user.ld."""
    d = os.path.abspath(start)
    while True:
        if os.path.isfile(os.path.join(d, "userland", "user.ld")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def search_dirs():
    """Where programs are looked for, in order: next to the kernel GDB has
    loaded ($(BUILD)/userland/bin beside $(BUILD)/kernel.elf, also for
    `make LAB=n` builds), then build/userland/bin in the repository that
    holds the kernel file, and in the one holding the current directory."""
    dirs = []
    kernel = gdb.current_progspace().filename
    starts = [os.getcwd()]
    if kernel:
        dirs.append(os.path.join(os.path.dirname(os.path.abspath(kernel)), "userland", "bin"))
        starts.insert(0, os.path.dirname(kernel))
    for start in starts:
        root = _repo_root(start)
        if root:
            dirs.append(os.path.join(root, "build", "userland", "bin"))
    unique = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def find_program(name):
    """The path of program `name` (a process name such as 'hello', or
    '/bin/hello': only the last part counts), or a GdbError that says
    where it looked."""
    base = os.path.basename(name.rstrip("/"))
    dirs = search_dirs()
    for d in dirs:
        path = os.path.join(d, base)
        if os.path.isfile(path):
            return path
    raise gdb.GdbError("no program '%s' in %s: `make userland` builds the programs (a process's "
                       "name is its program's file name)"
                       % (base, " or ".join(pretty(d) for d in dirs) or "any build folder"))


def pretty(path):
    """A path relative to the current directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def loaded_programs():
    """The objfiles of user programs GDB holds: any but the kernel's whose
    `main` lies in user space (the kernel has no main)."""
    kernel = gdb.current_progspace().filename
    found = []
    for objfile in gdb.objfiles():
        if objfile.filename == kernel or not objfile.is_valid():
            continue
        main = objfile.lookup_global_symbol("main")
        if main is not None and int(main.value().address) >= USER_BASE:
            found.append(objfile)
    return found


def loaded_program_name():
    """The file name of the user program whose symbols are loaded, or None."""
    progs = loaded_programs()
    return os.path.basename(progs[0].filename) if progs else None


def load(path):
    """Drop every user program's symbols, then add those of `path`.
    Returns the file names of the programs dropped."""
    dropped = []
    for objfile in loaded_programs():
        name = objfile.filename
        gdb.execute("remove-symbol-file %s" % gdb_quote(name), to_string=True)
        dropped.append(name)
    gdb.execute("with confirm off -- add-symbol-file %s" % gdb_quote(path), to_string=True)
    return dropped


def gdb_quote(path):
    """A path as one argument of a GDB command."""
    if not any(c in path for c in " \t'\"\\"):
        return path
    return '"%s"' % path.replace("\\", "\\\\").replace('"', '\\"')


def same_program(process_name, file_name):
    """Is a process (its name, maybe cut to 15 characters) running this file?"""
    if len(process_name) >= PROC_NAME_MAX - 1:
        return file_name.startswith(process_name)
    return file_name == process_name


def elf_entry(path):
    """The entry point in an ELF32 file's header (e_entry)."""
    try:
        with open(path, "rb") as f:
            head = f.read(28)
    except OSError as err:
        raise gdb.GdbError("cannot read %s (%s)" % (path, err.strerror))
    if len(head) < 28 or head[:4] != b"\x7fELF" or head[4] != 1:
        raise gdb.GdbError("%s is not an ELF32 file" % path)
    return struct.unpack_from("<I", head, 24)[0]
