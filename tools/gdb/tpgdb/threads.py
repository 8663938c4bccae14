"""The kernel's threads, read from its memory (lab 4 on): `tasks`, `ktrace TID`.

What the kernel keeps (kernel/proc/thread.h, sched.h, context.h, percpu.h):
    all_threads      a list of every struct thread (through all_node)
    cpus[i].thread   the thread the scheduler last chose on CPU i; 0 before
                     sched_init() (CPU 0) or sched_ap_main() (an AP). In C
                     it is `current_thread`, a macro for this_cpu()->thread;
                     tpgdb defines the same macro in GDB, for the CPU GDB
                     has selected (selected_cpu()); also idle_thread,
                     need_resched and slice_left
    ncpus            how many entries of cpus[] are CPUs
    t->context       while t is not running: its saved registers, a
                     struct context {edi, esi, ebx, ebp, eip} on its own
                     stack; eip is where its call of context_switch()
                     returns to, ebp the frame of that call's caller.
    t->stack         its stack: [base, top), with `guard` unmapped bytes below

From lab 4 part 2 a thread may belong to a user process (process.h):
    t->proc          its struct process (pid, name: the program's file
                     name), NULL for a kernel thread
    t->tf            while it is in a system call: the user's registers,
                     a struct trapframe; eax is the call's number
    all_processes    every struct process (through all_node)
A user thread enters the kernel on its own kernel stack, at the top
(tss.esp0 = t->stack.top): its first trap frame from ring 3 lies at
stack.top - sizeof(struct trapframe). A new user thread's context returns
to user_entry, which "returns" from that frame into ring 3.

Which thread is on the selected CPU? Usually its cpus[i].thread. But
switch_to() sets it to the next thread *before* context_switch() moves esp
to that thread's stack, so while the switch runs the CPU is still on the
old thread's stack. The thread whose stack holds esp is the one on the CPU;
cpus[i].thread only if no stack holds it. Each Thread also records `cpu`:
the CPU whose cpus[i].thread it is, or None.

Which CPU is selected? QEMU's gdbstub shows each vCPU as a GDB thread, in
CPU index order (`info threads`, `thread N`); QEMU numbers the local APICs
the same way, so GDB thread N is the struct cpu whose apic_id is N - 1.
"""
import gdb

from . import frames, target

MAX_THREADS = 4096      # more than the kernel's stack slots: the list is broken

NO_THREAD_SYMBOLS = ("this kernel has no threads: its symbols have no `struct thread`, "
                     "`all_threads` or `cpus` (a checkpoint before lab 4)")
NOT_STARTED = ("no threads yet: current_thread = 0. sched_init() (from kmain) has not run, "
               "or it failed (`kmsg` shows why); until then one flow of control runs on "
               "the boot stack, and plain `ktrace` shows it")


class NoThreads(Exception):
    """The kernel has no threads to show (yet): the message says why."""


class Thread:
    """One struct thread, read once."""

    def __init__(self, ptr):
        t = ptr.dereference()
        self.address = int(ptr) & 0xFFFFFFFF
        self.tid = int(t["tid"])
        self.name = _c_string(t["name"])
        self.state = str(t["state"]).replace("THREAD_", "").lower()   # as thread_state_name()
        self.context = int(t["context"]) & 0xFFFFFFFF
        self.fn = int(t["fn"]) & 0xFFFFFFFF
        stack = t["stack"]
        self.stack_low = (int(stack["base"]) - int(stack["guard"])) & 0xFFFFFFFF
        self.stack_top = int(stack["top"]) & 0xFFFFFFFF
        self.waits = _waits_on(t)
        self.cpu = None         # set by all_threads(): the CPU running it
        # its process (lab 4 part 2): pid and program, or None for a kernel thread
        self.pid = self.program = self.pd = None
        self.tf = 0
        fields = {f.name for f in t.type.fields()}
        if "proc" in fields and int(t["proc"]) != 0:
            proc = t["proc"].dereference()
            self.pid = int(proc["pid"])
            self.program = _c_string(proc["name"])
            self.tf = int(t["tf"]) & 0xFFFFFFFF
            # its page directory (direct-mapped: the address is physical);
            # none once a zombie has freed its address space
            if int(proc["as"]) != 0 and int(proc["as"]["pd"]) != 0:
                self.pd = int(proc["as"]["pd"]) & 0xFFFFF000

    def holds(self, esp):
        """Is esp on this thread's stack (or in the guard below it)?"""
        return self.stack_low <= esp < self.stack_top


def _c_string(array):
    raw = bytes(int(array[i]) & 0xFF for i in range(array.type.sizeof))
    return raw.split(b"\0", 1)[0].decode("ascii", "replace")


def _waits_on(t):
    """What a thread waits for, as `ps` says it: a wait queue's name,
    "sleep" (on the timer queue), or "-"."""
    wq = t["waiting_on"]
    if int(wq) != 0:
        return wq["name"].string() if int(wq["name"]) != 0 else "?"
    link = t["sleep_timer"]["link"]
    if int(link["next"]) != int(link.address):      # timerq_queued()
        return "sleep"
    return "-"


def cpu_count():
    """ncpus: how many entries of cpus[] are CPUs (1 before lab 5)."""
    n = int(gdb.parse_and_eval("ncpus"))
    size = gdb.parse_and_eval("cpus").type.range()[1] + 1
    return max(1, min(n, size))


def selected_cpu():
    """The index in cpus[] of the CPU GDB has selected (see the top of
    this file); 0 with one CPU or when nothing matches."""
    n = cpu_count()
    if n == 1:
        return 0
    selected = gdb.selected_thread()
    if selected is None:
        return 0
    index = selected.num - 1
    cpus = gdb.parse_and_eval("cpus")
    for i in range(n):
        if int(cpus[i]["apic_id"]) == index:
            return i
    return index if index < n else 0


def running_threads():
    """{address of struct thread: CPU index} for every CPU's cpus[i].thread."""
    cpus = gdb.parse_and_eval("cpus")
    found = {}
    for i in range(cpu_count()):
        t = int(cpus[i]["thread"]) & 0xFFFFFFFF
        if t:
            found[t] = i
    return found


def all_threads():
    """(threads, current, on_cpu): every thread on all_threads, oldest
    first, each with its .cpu; the one the selected CPU's cpus[i].thread
    points to; the one on the selected CPU (see the top of this file).
    Raises NoThreads."""
    try:            # only symbols here: gdb.MemoryError is a gdb.error too
        thread_type = gdb.lookup_type("struct thread")
        head = gdb.parse_and_eval("&all_threads")
        gdb.parse_and_eval("&cpus[0].thread")
    except gdb.error:
        raise NoThreads(NO_THREAD_SYMBOLS)
    if int(gdb.parse_and_eval("cpus[0].thread")) == 0:
        raise NoThreads(NOT_STARTED)
    cpu = selected_cpu()
    current = int(gdb.parse_and_eval("cpus[%d].thread" % cpu)) & 0xFFFFFFFF
    running = running_threads()
    offset = next(f.bitpos // 8 for f in thread_type.fields() if f.name == "all_node")
    threads = []
    node = head["next"]
    while int(node) != int(head):
        if len(threads) == MAX_THREADS:
            raise gdb.GdbError("all_threads has more than %d entries: the list is broken"
                               % MAX_THREADS)
        ptr = gdb.Value(int(node) - offset).cast(thread_type.pointer())
        thread = Thread(ptr)
        thread.cpu = running.get(thread.address)
        threads.append(thread)
        node = node["next"]
    by_address = {t.address: t for t in threads}
    esp = target.register("esp")
    on_cpu = next((t for t in threads if t.holds(esp)), by_address.get(current))
    return threads, by_address.get(current), on_cpu


def saved_context(thread):
    """(eip, ebp, esp) of a thread that is not running, from its struct
    context; esp is where the stack pointer will be after context_switch()
    pops the context and returns."""
    if thread.context == 0:
        raise gdb.GdbError("thread %d '%s' has no saved context (context = 0)"
                           % (thread.tid, thread.name))
    ctx_type = gdb.lookup_type("struct context")
    ctx = gdb.Value(thread.context).cast(ctx_type.pointer()).dereference()
    return (int(ctx["eip"]) & 0xFFFFFFFF, int(ctx["ebp"]) & 0xFFFFFFFF,
            thread.context + ctx_type.sizeof)


def walk_saved(env, thread):
    """frames.walk() from a thread's saved context. Its eip is a return
    address, except in a thread that has never run: there it is the first
    instruction of thread_start (context_init() put it there)."""
    eip, ebp, esp = saved_context(thread)
    name, start = target.symbol_at(eip)
    return frames.walk(env, eip, ebp, esp, exact=(name is not None and eip == start))


def first_user_frame(thread):
    """The address of the trap frame a user thread's last entry from ring 3
    made: at the top of its kernel stack (and where a thread that has not
    started yet keeps the frame it will start from)."""
    return thread.stack_top - gdb.lookup_type("struct trapframe").sizeof


def trapframe(address):
    """The struct trapframe at an address, as a gdb.Value."""
    tf_type = gdb.lookup_type("struct trapframe")
    return gdb.Value(address).cast(tf_type.pointer()).dereference()


def syscall_name(nr):
    """A system call's name: its handler's in the kernel's syscall_table
    (syscall.c) without sys_, e.g. 'getpid' for 20. None for a number
    with no handler (the call returns -ENOSYS)."""
    try:
        table = gdb.parse_and_eval("syscall_table")
    except gdb.error:
        return None
    if not 0 <= nr <= table.type.range()[1]:
        return None
    fn = int(table[nr]) & 0xFFFFFFFF
    name = target.symbol_at(fn)[0] if fn else None
    if name is None:
        return None
    return name[4:] if name.startswith("sys_") else name


def in_syscall(thread):
    """'getpid' (or '#NR' for an unknown number) while a user thread is in
    a system call (t->tf set: syscall_run() sets it, and clears it after
    the call), else None. The number is t->tf->eax; the call's result
    replaces it only just before t->tf is cleared."""
    if not thread.tf:
        return None
    nr = int(trapframe(thread.tf)["eax"]) & 0xFFFFFFFF
    return syscall_name(nr) or "#%d" % nr


def all_processes():
    """[(pid, name, state)] of every struct process on all_processes,
    oldest first. Raises NoThreads on a kernel without processes."""
    try:
        proc_type = gdb.lookup_type("struct process")
        head = gdb.parse_and_eval("&all_processes")
    except gdb.error:
        raise NoThreads("this kernel has no user processes: its symbols have no "
                        "`struct process` or `all_processes` (a checkpoint before lab 4)")
    offset = next(f.bitpos // 8 for f in proc_type.fields() if f.name == "all_node")
    found = []
    node = head["next"]
    while int(node) != int(head):
        if len(found) == MAX_THREADS:
            raise gdb.GdbError("all_processes has more than %d entries: the list is broken"
                               % MAX_THREADS)
        p = gdb.Value(int(node) - offset).cast(proc_type.pointer()).dereference()
        found.append((int(p["pid"]), _c_string(p["name"]),
                      str(p["state"]).replace("PROC_", "").lower()))
        node = node["next"]
    return found
