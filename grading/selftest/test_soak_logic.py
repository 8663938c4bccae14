"""The soak's verdicts without a kernel (grading/tidepool/soak.py): a
round's KTAP, ps and netstat at rest, and the comparison that finds lost
resources. The soak itself runs for ten minutes (make soak); these make
sure, in make check, that what it concludes follows from what it reads."""

from tidepool import soak

USERTESTS_S = """KTAP version 1
1..3
ok 1 pipe1
httpd: 10.0.2.2:40000 "GET /1m.bin" 200 1048576
# not judged (usertests -S): 1 MiB of heap took 246 frames, expected >= 256
ok 2 sbrk_grow_shrink
ok 3 no_frames_leaked # SKIP usertests -S: other programs ran meanwhile
"""

PS_AT_REST = """  PID  PPID  PGID S THR MEM(KiB) NAME
    1     0     1 S   1       96 init
    2     1     1 S   1      156 udpecho
    3     1     1 S   1      124 httpd
    4     1     4 S   1      132 sh
 1098     4  1098 R   1       92 ps
"""

NETSTAT_TAIL = """tcp: segs_in 5 segs_out 7 retransmits 0 resets_sent 0 out_of_order 0 backlog_full 0 timeouts 0 tcbs_in_use 1
sockets:
Proto Recv-Q Send-Q  Local Address         Foreign Address       State
udp        0      0  *:7                   *:*                   -
tcp        0      0  *:80                  *:*                   LISTEN
"""

MEMINFO = """free_frames  30286        physical page frames nobody uses
heap_bytes   96916        kmalloc bytes handed out, not yet freed
heap_blocks  89           kmalloc blocks handed out, not yet freed
heap_pages   41           pages the kernel heap has mapped (never shrinks)
kasan        0            1: a KASAN kernel (heap growth maps shadow too)
"""


def at_rest(**meminfo):
    m = dict(soak.parse_meminfo(MEMINFO), **meminfo)
    rows = soak.parse_ps(PS_AT_REST)
    return soak.AtRest(m, sorted(f"{p} {n}" for p, _, _, n in rows),
                       soak.socket_lines(NETSTAT_TAIL), 1)


def test_round_passes_with_the_skips_of_minus_s():
    problems, unjudged = soak.round_problems("usertests -S", USERTESTS_S)
    assert problems == []
    assert len(unjudged) == 1 and "246 frames" in unjudged[0]


def test_round_fails_on_a_failed_case_or_a_plain_skip_of_the_leak_check():
    failed = USERTESTS_S.replace("ok 1 pipe1", "not ok 1 pipe1")
    assert any("pipe1" in p for p in soak.round_problems("u", failed)[0])
    plain_skip = USERTESTS_S.replace("# SKIP usertests -S:", "# SKIP KASAN:")
    assert any("no_frames_leaked" in p for p in soak.round_problems("u", plain_skip)[0])
    leak_failed = USERTESTS_S.replace("ok 3 no_frames_leaked # SKIP usertests -S: other "
                                      "programs ran meanwhile", "not ok 3 no_frames_leaked")
    assert any("no_frames_leaked" in p for p in soak.round_problems("u", leak_failed)[0])


def test_round_fails_when_cut_short():
    cut = USERTESTS_S.split("ok 3")[0]
    assert any("incomplete" in p for p in soak.round_problems("u", cut)[0])
    assert soak.round_problems("u", "")[0]


def test_parsers():
    assert soak.parse_meminfo(MEMINFO) == {"free_frames": 30286, "heap_bytes": 96916,
                                           "heap_blocks": 89, "heap_pages": 41, "kasan": 0}
    rows = soak.parse_ps(PS_AT_REST)
    assert [r[3] for r in rows] == ["init", "udpecho", "httpd", "sh"]   # not ps itself
    assert soak.socket_lines(NETSTAT_TAIL)[1].startswith("udp")


def test_rest_needs_no_zombie_no_stray_process_and_only_listeners():
    rows = soak.parse_ps(PS_AT_REST)
    sockets = soak.socket_lines(NETSTAT_TAIL)
    assert soak.not_at_rest(rows, sockets, 1) == ""
    assert "control blocks" in soak.not_at_rest(rows, sockets, 2)       # a TIME_WAIT
    zombie = rows + [(1200, 3, "Z", "httpd")]
    assert "1200 httpd" in soak.not_at_rest(zombie, sockets, 1)
    running = rows + [(1300, 4, "S", "usertests")]
    assert "1300 usertests" in soak.not_at_rest(running, sockets, 1)
    assert soak.not_at_rest([], sockets, 1)


def test_lost_is_empty_when_everything_came_back():
    assert soak.lost(at_rest(), at_rest()) == []
    # The heap grew by 9 pages and kept them: 9 frames fewer, none lost.
    assert soak.lost(at_rest(), at_rest(free_frames=30277, heap_pages=50)) == []


def test_lost_names_each_kind_of_loss():
    before = at_rest()
    assert soak.lost(before, at_rest(heap_bytes=97364, heap_blocks=97))
    assert soak.lost(before, at_rest(free_frames=30280))               # 6 frames, no growth
    assert soak.lost(before, at_rest(free_frames=30270, heap_pages=50))  # 16 for 9 pages
    orphan = at_rest()
    orphan.processes = orphan.processes + ["1500 usertests"]
    assert any("processes" in x for x in soak.lost(before, orphan))
    tcbs = at_rest()
    tcbs.tcbs = 2
    assert any("control blocks" in x for x in soak.lost(before, tcbs))


def test_kasan_shadow_is_slack_only_on_a_kasan_kernel():
    # 16 heap pages grew, 16 + 1 page table + 3 shadow pages fewer frames.
    plain = soak.lost(at_rest(), at_rest(free_frames=30286 - 20, heap_pages=57))
    kasan = soak.lost(at_rest(kasan=1), at_rest(free_frames=30286 - 20, heap_pages=57, kasan=1))
    assert plain and not kasan


def test_an_oom_kill_of_httpd_excuses_one_cut_transfer_never_a_wrong_one():
    cut = soak.Failure("PUT /upload: status 100, reply b'', curl: (52) Empty reply", cut=True)
    wrong = soak.Failure("GET /1m.bin: status 200, 1048576 bytes (want the blob)", cut=False)
    killed = "[pid 5120 httpd] killed: out of memory (page at 0xbfffe000)\n"
    other = "[pid 5121 usertests] killed: out of memory (page at 0x00805000)\n"
    assert soak.unexplained([cut], killed) == ([], 1)
    assert soak.unexplained([cut], other) == ([cut], 0)          # not httpd's
    assert soak.unexplained([cut, cut], killed)[0] == [cut]      # one kill, one excuse
    assert soak.unexplained([wrong], killed)[0] == [wrong]
