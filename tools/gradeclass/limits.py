"""The resource limits of one sandboxed phase (unpack, build or grade).

Each limit names what enforces it, because "the sandbox limits X" means
nothing unless something in the kernel or in this tool actually stops X:

  wall_s      this tool: the phase's process group is SIGKILLed when the
              phase has run this long (batch-level, so it covers every
              process of the phase together, sleeping ones included).
  cpu_s       RLIMIT_CPU, per process (prlimit inside the sandbox, as every
              RLIMIT_ here): SIGXCPU at the soft limit, SIGKILL a second
              later. A busy loop in the Makefile or a compiler dies.
  memory_mb   RLIMIT_AS, per process: address space, so malloc/mmap fail
              beyond it. QEMU maps all guest RAM (-m) and ~1 GiB for its
              TCG code buffer, so the grading phase needs -m + 2 GiB.
  nproc       RLIMIT_NPROC: processes and threads of the sandbox's user.
              The kernel counts it per user namespace and user (ucounts),
              and never for host uid 0, which is why the sandbox runs as
              host uid 65534 (sandbox.py): a fork bomb then stops at nproc
              inside its own sandbox and other sandboxes are unaffected.
  fsize_mb    RLIMIT_FSIZE: the largest file a process may write (SIGXFSZ,
              then EFBIG): a 100 MB console log or a disk-filling build.
  output_kb   this tool: bytes of stdout+stderr kept in the log (the first
              and last halves); past output_kill_mb the phase is killed.
  tmp_mb      bwrap --size on the private /tmp tmpfs (RAM-backed, so it
              is not covered by RLIMIT_AS).
  nofile      RLIMIT_NOFILE: open descriptors.
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    wall_s: float = 600
    cpu_s: int = 600
    memory_mb: int = 4096
    nproc: int = 512
    fsize_mb: int = 256
    output_kb: int = 512
    output_kill_mb: int = 64
    tmp_mb: int = 512
    nofile: int = 1024

    def scaled(self, **changes) -> "Limits":
        return replace(self, **changes)

    def prlimit_argv(self):
        """util-linux prlimit, run INSIDE the sandbox (soft = hard).

        Inside, not in a preexec_fn on the host: the kernel records the
        creator's RLIMIT_NPROC when bwrap makes the user namespace and then
        checks it against the count of ALL the host uid's processes, every
        sandbox's together. Set after the namespace exists, the limit
        applies to this sandbox's processes alone."""
        mb = 1024 * 1024
        return ["prlimit", f"--cpu={int(self.cpu_s)}", f"--as={self.memory_mb * mb}",
                f"--nproc={self.nproc}", f"--fsize={self.fsize_mb * mb}",
                f"--nofile={self.nofile}", "--core=0", "--"]

    def describe(self) -> str:
        return (f"wall {self.wall_s:g} s, cpu {self.cpu_s} s/process, "
                f"address space {self.memory_mb} MiB/process, {self.nproc} processes, "
                f"files {self.fsize_mb} MiB, /tmp {self.tmp_mb} MiB, "
                f"log {self.output_kb} KiB kept (killed past {self.output_kill_mb} MiB)")


# Defaults per phase; --tight (make check) scales them down.
UNPACK = Limits(wall_s=120, cpu_s=120, nproc=64, fsize_mb=512)
BUILD = Limits(wall_s=300, cpu_s=300, nproc=256)
# QEMU with -m 3584 (lab 1's hidden test_memory_above_4g) maps 3.5 GiB of
# guest RAM plus its 1 GiB TCG buffer: 4 GiB of address space is too few.
GRADE = Limits(wall_s=900, cpu_s=900, nproc=256, memory_mb=8192)
TIGHT = dict(UNPACK=UNPACK.scaled(wall_s=30, cpu_s=30),
             BUILD=BUILD.scaled(wall_s=40, cpu_s=40, nproc=128, memory_mb=2048),
             GRADE=GRADE.scaled(wall_s=25, cpu_s=25, nproc=128, fsize_mb=16))
