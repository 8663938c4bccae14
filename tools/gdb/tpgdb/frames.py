"""The frame-pointer walk behind `ktrace` (pure: no gdb).

Like kernel/backtrace.c: with -fno-omit-frame-pointer every function
starts with `push %ebp; mov %esp, %ebp`, so at a frame pointer ebp
    [ebp + 4]  is the return address into the caller,
    [ebp + 0]  is the caller's saved ebp, the next frame;
_start (boot.S) pushes a zero word and points ebp at it, so a saved ebp of
0 (or a return address of 0) ends the chain -- but for the C handler of a
trap from ring 3, whose saved ebp the entry code zeroed (below).

Crossing trap frames (from lab 2 on). The trap entry code (alltraps in
kernel/arch/i386/trapentry.S) saves the interrupted state as a struct
trapframe on the stack and calls the C handler with `pushl %esp; call
trap`. So when a return address lies in one of TRAP_RETURN (the return
address of that call is the label trap_return, right after the call in
alltraps), the word above it is the argument and the trapframe starts just
above that: at (address of the return address) + 8. The walk prints the
trap, then goes on from the interrupted eip and ebp saved in the frame.
From ring 3 the entry code zeroes ebp before the call (so the kernel's own
backtrace.c ends at the handler and never reads user memory), and the
handler's saved ebp is 0: the walk crosses the trap frame all the same.

The hook for other entry code: add the name of the function (or label)
that holds the return address of the call into C to TRAP_RETURN, e.g.
    (gdb) python import tpgdb.frames; tpgdb.frames.TRAP_RETURN.add("irq_common")
and keep the `pushl %esp; call handler` convention (or teach
Env.trapframe() another layout). Lab 4's sysenter_full (sysenter.S) is
one: it builds the same struct trapframe and calls syscall_sysenter(tf).

sysenter's fast path (sysenter_entry, lab 4 solved) builds no struct
trapframe: it calls the handler from syscall_table with a smaller frame
(arch/i386/sysenter.h): above the return address the five arguments, the
call's number, the user's eip, es and ds; the user's ebp is still in ebp
(so it is the handler's saved ebp), and its esp is that ebp + 4. A return
address in FAST_SYSCALL, just after that indirect call, is decoded as a
trap with vector 0x80, err 1 (sysenter) and "nr".

Into user space (lab 4). Past a trap frame from ring 3 (cs & 3 == 3) the
frames are the user program's: named only once its symbols are loaded
(`usymbols`); without them the walk stops there and says so. The libc's
system-call stubs keep no frame pointer: see SYSCALL_STUBS.
"""

# Names whose appearance as a return address means "a trap frame is here".
# trap_return is the label after `call trap`; a return address is named by
# the instruction before it (address - 1), which is then in alltraps.
# sysenter_entry holds the return address of its `call syscall_sysenter`.
TRAP_RETURN = {"trap_return", "alltraps", "sysenter_full"}

# sysenter's fast path: name -> the bytes of its `call *syscall_table(,
# %eax, 4)` (ff 14 85 + the table's address), which must end at the
# return address; and the fast frame's words (sysenter.h), counted from
# just above the return address.
FAST_SYSCALL = {"sysenter_entry": b"\xff\x14\x85"}
FAST_CALL_LEN = 7
FAST_NR, FAST_EIP = 5, 6
USER_CS = 0x1B      # GDT_USER_CODE (arch/i386/gdt.h)

# Code that leaves through a trap frame without having been called: a new
# user thread's first "return" (user_entry, trapentry.S) drops the zero
# word context_init() put below the frame (fork's or exec's copy) and
# leaves through it. At the label's first instruction -- a thread that
# has not run yet -- the frame is at esp + N.
TRAP_AHEAD = {"user_entry": 4}

# The user libc's system-call stubs (userland/lib/syscall_entry.S)
# have no frame of their own. At the instruction after their `int $0x80`
# or `sysenter` -- where a system call's trap frame leaves the user eip --
# the stub has pushed ebx, esi and edi, and the sysenter stub then the
# caller's ebp and the address of 1: (docs/abi.md: [ebp] = 1:, [ebp + 4] =
# the caller's ebp; the kernel reports esp = ebp + 4, as sysexit leaves
# it). So there the
# return address into the stub's caller is at esp + RET, and the caller's
# ebp at esp + EBP (None: it is still in ebp).
#   name: (the trap instruction's bytes, just before the eip; RET; EBP)
SYSCALL_STUBS = {
    "syscall_int80": (b"\xcd\x80", 12, None),
    "syscall_sysenter": (b"\x0f\x34", 16, 0),
    # The libc wrappers' doors (register convention, libc.h): the wrapper
    # saved what it keeps; int80_door pushed nothing, sysenter_door only
    # the caller's ebp and the address of 1:.
    "int80_door": (b"\xcd\x80", 0, None),
    "sysenter_door": (b"\x0f\x34", 4, 0),
}

MAX_FRAMES = 64

PUSH_EBP = 0x55
MOV_ESP_EBP = b"\x89\xe5"
RET = 0xC3


class ReadError(Exception):
    """Memory the walk needs cannot be read."""


class NoTrapframe(Exception):
    """A trap return address was found, but the frame cannot be decoded."""


class Frame:
    def __init__(self, index, pc, name, offset, exact):
        self.index = index
        self.pc = pc
        self.name = name            # None when no symbol covers it
        self.offset = offset
        self.exact = exact          # pc is the instruction itself, not a return address

    def label(self):
        if self.name is None:
            return "??"
        return "%s+0x%x" % (self.name, self.offset)


class Trap:
    def __init__(self, address, info, note=None):
        self.address = address      # where the struct trapframe starts
        self.info = info            # dict: vector, err, eip, ebp, cs, esp, ...
        self.note = note


class End:
    def __init__(self, reason, clean=True):
        self.reason = reason
        self.clean = clean          # False: the chain was broken, not finished


def _after_call(env, ret, start):
    """Does the word ret look like the return address of a call of start?
    A direct `call start` (e8 rel32) or an indirect `call *...` (ff /2)
    in one of the forms the kernel's code uses: register (2 bytes),
    disp32 (6), table with scale and disp32 (7)."""
    b = env.read_bytes((ret - 7) & 0xFFFFFFFF, 7)
    if b[2] == 0xE8 and (ret + int.from_bytes(b[3:], "little", signed=True)) & 0xFFFFFFFF == start:
        return True
    return ((b[5] == 0xFF and 0xD0 <= b[6] <= 0xD7) or b[1:3] == b"\xff\x15"
            or (b[0] == 0xFF and b[1] == 0x14))


def _prologue_state(env, pc, esp):
    """Where the return address of the function at pc is, when pc is in
    the prologue or at the final ret (the frame pointer is then still the
    caller's): 'entry' ([esp]), 'pushed' ([esp + 4]), or None (use ebp).
    At the first instruction of a function without `push %ebp` (a leaf
    that GCC built without a frame, e.g. sys_getpid), [esp] is still the
    return address if the word there follows a call of it."""
    _, start = env.symbol(pc)
    try:
        if start is not None and pc == start:
            if env.read_bytes(pc, 1)[0] == PUSH_EBP:
                return "entry"
            if _after_call(env, env.read_u32(esp), start):
                return "entry"
        if start is not None and pc == start + 1:
            head = env.read_bytes(start, 3)
            if head[0] == PUSH_EBP and head[1:3] == MOV_ESP_EBP:
                return "pushed"
        if env.read_bytes(pc, 1)[0] == RET:
            return "entry"
    except ReadError:
        return None
    return None


def _syscall_stub(env, frame):
    """(RET, EBP) of SYSCALL_STUBS when the frame is one of the stubs,
    stopped right after its trap instruction; else None."""
    stub = SYSCALL_STUBS.get(frame.name)
    if stub is None or not frame.exact:
        return None
    insn, ret, ebp = stub
    try:
        if env.read_bytes(frame.pc - len(insn), len(insn)) != insn:
            return None
    except ReadError:
        return None
    return ret, ebp


def _fast_syscall(env, frame, ra_addr, user_ebp):
    """The trap info of sysenter's fast frame when the return address
    (frame, stored at ra_addr) is that of its call of the handler; else
    None. user_ebp: the ebp the handler saved, the user's."""
    insn = FAST_SYSCALL.get(frame.name)
    if insn is None:
        return None
    try:
        if env.read_bytes(frame.pc - FAST_CALL_LEN, len(insn)) != insn:
            return None
        nr = env.read_u32(ra_addr + 4 + 4 * FAST_NR)
        eip = env.read_u32(ra_addr + 4 + 4 * FAST_EIP)
    except ReadError:
        return None
    return {"vector": 0x80, "err": 1, "eip": eip, "ebp": user_ebp, "cs": USER_CS,
            "esp": (user_ebp + 4) & 0xFFFFFFFF, "nr": nr}


def _frame(env, index, pc, exact):
    lookup = pc if exact else pc - 1
    name, start = env.symbol(lookup)
    offset = pc - start if name is not None else 0
    return Frame(index, pc, name, offset, exact)


def _returns_into_trap_entry(env, ra_addr):
    """Whether the return address at ra_addr is the trap entry code's
    call of its C handler (TRAP_RETURN); False if it cannot be read."""
    try:
        ret = env.read_u32(ra_addr)
    except ReadError:
        return False
    return env.symbol(ret - 1)[0] in TRAP_RETURN


def walk(env, pc, ebp, esp, max_frames=MAX_FRAMES, exact=True, user=False):
    """Yield Frame, Trap and (last) End records, innermost first.

    env provides read_u32(addr), read_bytes(addr, n) (both may raise
    ReadError), symbol(addr) -> (name, start) or (None, None), and
    trapframe(addr) -> dict (may raise NoTrapframe).

    exact=False: pc is a return address, not the instruction the CPU is
    at: a thread's saved context, whose eip is where its call of
    context_switch() returns to (frame #0 is then named like the others).
    user=True: pc is in the user program (the CPU is in ring 3)."""
    index = 0
    frame = _frame(env, index, pc, exact)
    yield frame
    # in ring 3, or past a trap frame from ring 3: the user program's frames
    while True:
        if user and frame.name is None:
            yield End("no symbols for the user code at 0x%08x: `usymbols` loads the "
                      "program's" % pc if pc else "the trap frame holds no user eip (yet)",
                      clean=False)
            return
        if index + 1 >= max_frames:
            yield End("stopped after %d frames" % max_frames, clean=False)
            return
        if exact and frame.offset == 0 and frame.name in TRAP_AHEAD:
            tf_addr, note = esp + TRAP_AHEAD[frame.name], None
        else:
            state = _prologue_state(env, pc, esp) if exact else None
            stub = _syscall_stub(env, frame) if user else None
            try:
                if stub is not None:
                    state = "stub"
                    ra_addr = esp + stub[0]
                    caller_ebp = ebp if stub[1] is None else env.read_u32(esp + stub[1])
                elif state == "entry":
                    ra_addr, caller_ebp = esp, ebp
                elif state == "pushed":
                    ra_addr, caller_ebp = esp + 4, ebp
                else:
                    if ebp == 0:
                        yield End("ebp = 0: the end of the chain")
                        return
                    if ebp % 4:
                        yield End("ebp = 0x%08x is not 4-byte aligned: not a frame pointer"
                                  % ebp, clean=False)
                        return
                    ra_addr = ebp + 4
                    caller_ebp = env.read_u32(ebp)
                    # A zero saved ebp ends the chain (_start's frame),
                    # except under the C handler of a trap from ring 3:
                    # the entry code zeroes the user's ebp (alltraps),
                    # but the trap frame above goes on into user space.
                    if caller_ebp == 0 and not _returns_into_trap_entry(env, ra_addr):
                        yield End("saved ebp = 0 at 0x%08x: _start's zero frame, the end of "
                                  "the chain" % ebp)
                        return
                ret = env.read_u32(ra_addr)
            except ReadError as err:
                yield End("cannot read the frame at ebp = 0x%08x (%s)" % (ebp, err),
                          clean=False)
                return
            if ret == 0:
                yield End("return address 0: the end of the chain")
                return
            index += 1
            frame = _frame(env, index, ret, False)
            yield frame
            fast = _fast_syscall(env, frame, ra_addr, caller_ebp)
            if fast is not None:
                yield Trap(ra_addr + 4, fast, None)
                pc, ebp, esp = fast["eip"], fast["ebp"], fast["esp"]
                exact, user = True, True
                index += 1
                frame = _frame(env, index, pc, True)
                yield frame
                continue
            if frame.name not in TRAP_RETURN:
                if state is None and caller_ebp <= ebp:
                    yield End("saved ebp 0x%08x is not above ebp 0x%08x: the chain is corrupt"
                              % (caller_ebp, ebp), clean=False)
                    return
                pc, ebp, esp, exact = ret, caller_ebp, ra_addr + 4, False
                continue
            tf_addr, note = ra_addr + 8, None
            try:
                arg = env.read_u32(ra_addr + 4)
            except ReadError as err:
                yield End("a trap frame should be at 0x%08x, but: %s" % (tf_addr, err),
                          clean=False)
                return
            if arg != tf_addr:
                note = ("the handler's argument is 0x%08x, not 0x%08x: decoding the "
                        "frame at 0x%08x anyway" % (arg, tf_addr, tf_addr))
        # a trap frame: print it, and go on from the state it saved
        try:
            info = env.trapframe(tf_addr)
        except (ReadError, NoTrapframe) as err:
            yield End("a trap frame should be at 0x%08x, but: %s" % (tf_addr, err),
                      clean=False)
            return
        yield Trap(tf_addr, info, note)
        pc, ebp, esp = info["eip"], info["ebp"], info["esp"]
        exact = True
        user = info["cs"] & 3 == 3
        index += 1
        frame = _frame(env, index, pc, True)
        yield frame


# ---- where a thread that is not running stands (the `tasks` command) ----------

# A thread that gave up the CPU has the scheduler's own frames on top of
# its stack: context_switch <- schedule <- thread_yield (or thread_sleep,
# waitqueue_sleep <- sem_down, ...), and, when an interrupt preempted it,
# sched_preempt <- trap <- alltraps. `tasks` skips every frame whose code
# lies in one of these source files (an entry ending in / is a folder).
SCHED_FILES = ("kernel/arch/i386/switch.S", "kernel/proc/sched.c", "kernel/proc/waitqueue.c",
               "kernel/sync/", "kernel/arch/i386/trap.c", "kernel/arch/i386/trapentry.S")
# Every new thread starts in thread_start(), which calls the thread's own
# function: that frame is never skipped (the idle thread's idle_main()
# lives in sched.c).
THREAD_ENTRY = "thread_start"


def is_sched_file(filename):
    if filename is None:
        return False
    return any(filename == f or (f.endswith("/") and filename.startswith(f))
               for f in SCHED_FILES)


def own_frame(records, filename):
    """The first Frame of a thread's walk that is not the scheduler's, as
    (frame, trap): trap is the last Trap the walk crossed before that
    frame (the interrupt that preempted the thread), or None.
    filename(frame) is the source file of a frame's code (or None). With
    nothing but scheduler frames: the first frame. (None, None) if the
    walk holds no frame at all."""
    seen = []           # (frame, the trap crossed before it)
    trap = None
    for rec in records:
        if isinstance(rec, Trap):
            trap = rec
        elif isinstance(rec, Frame):
            seen.append((rec, trap))
    for k, (frame, trap) in enumerate(seen):
        caller = seen[k + 1][0].name if k + 1 < len(seen) else None
        if caller == THREAD_ENTRY or not is_sched_file(filename(frame)):
            return frame, trap
    return seen[0] if seen else (None, None)
