"""The KTAP parser."""

from tidepool import ktap

PROTOCOL_EXAMPLE = """\
KTAP version 1
1..3
# running boot.multiboot_magic
ok 1 boot.multiboot_magic
# running boot.cmdline
# boot.cmdline: kernel/tests/boot_test.c:42: expected "a b", got "a"
not ok 2 boot.cmdline
# running boot.skipme
ok 3 boot.skipme # SKIP needs 2 CPUs
"""


def test_flat_protocol_example():
    doc = ktap.parse(PROTOCOL_EXAMPLE)
    assert doc.version == "KTAP version 1"
    assert doc.plan == 3
    assert [(r.number, r.name, r.status) for r in doc.results] == [
        (1, "boot.multiboot_magic", "pass"),
        (2, "boot.cmdline", "fail"),
        (3, "boot.skipme", "skip"),
    ]
    assert doc.complete()
    assert not doc.truncated
    assert doc.unfinished is None
    assert doc.errors == [] and doc.unknown == []
    assert doc.running == ["boot.multiboot_magic", "boot.cmdline", "boot.skipme"]
    assert doc.summary() == {"pass": 1, "fail": 1, "skip": 1, "xfail": 0}


def test_diagnostics_attach_to_the_following_result():
    doc = ktap.parse(PROTOCOL_EXAMPLE)
    r1, r2, r3 = doc.results
    assert r1.diagnostics == []
    assert r2.diagnostics == ['boot.cmdline: kernel/tests/boot_test.c:42: expected "a b", got "a"']
    # '# running' lines are not diagnostics
    assert r3.diagnostics == []
    assert doc.trailing_diagnostics == []


def test_skip_directive_and_reason():
    doc = ktap.parse("KTAP version 1\n1..2\nok 1 a.b # SKIP needs 2 CPUs\nok 2 a.c #skip\n")
    r1, r2 = doc.results
    assert (r1.name, r1.directive, r1.reason, r1.skipped, r1.passed) == \
        ("a.b", "SKIP", "needs 2 CPUs", True, False)
    assert (r2.name, r2.directive, r2.reason) == ("a.c", "SKIP", "")


def test_other_directives_escaped_hash_and_dash():
    doc = ktap.parse("KTAP version 1\n1..4\nnot ok 1 a # TODO later\n"
                     "ok 2 - b\\#1\nok 3 c # not a directive\nnot ok 4 d # TIMEOUT\n")
    r1, r2, r3, r4 = doc.results
    assert (r1.directive, r1.status, r1.failed) == ("TODO", "xfail", False)
    assert r2.name == "b#1"
    assert r3.name == "c # not a directive" and r3.directive is None
    assert (r4.directive, r4.status) == ("TIMEOUT", "fail")


def test_truncated_after_running_line():
    doc = ktap.parse("KTAP version 1\n1..3\n# running s.a\nok 1 s.a\n"
                     "# running s.b\n# s.b: about to fault\n")
    assert doc.truncated
    assert not doc.complete()
    assert doc.unfinished == "s.b"
    assert doc.missing() == [2, 3]
    assert doc.trailing_diagnostics == ["s.b: about to fault"]
    assert doc.last_number == 1


def test_missing_plan_and_empty_input():
    assert ktap.parse("").plan is None
    assert ktap.parse("").truncated
    doc = ktap.parse("KTAP version 1\n")
    assert doc.plan is None and doc.results == [] and doc.truncated


def test_bail_out():
    doc = ktap.parse("KTAP version 1\n1..2\nok 1 a\nBail out! out of memory\n")
    assert doc.bail_out == "out of memory"
    assert doc.truncated and not doc.complete()


def test_resumed_run_numbers_continue_after_skip():
    # ktest_skip=2: cases 1..2 are not printed, numbering continues at 3.
    doc = ktap.parse("KTAP version 1\n1..4\n# running s.c\nok 3 s.c\n# running s.d\nok 4 s.d\n")
    assert doc.errors == []
    assert doc.complete(first=3)
    assert not doc.complete(first=1)
    assert not doc.truncated


def test_nested_subtests_linux_style():
    text = """\
KTAP version 1
1..2
    KTAP version 1
    # Subtest: boot
    1..2
    ok 1 multiboot_magic
    # boot_test.c:42: expected "a b"
    not ok 2 cmdline
not ok 1 boot
    KTAP version 1
    # Subtest: gdt
    1..1
    ok 1 loaded
ok 2 gdt
"""
    doc = ktap.parse(text)
    assert doc.plan == 2 and doc.errors == [] and doc.unknown == []
    boot, gdt = doc.results
    assert boot.name == "boot" and not boot.ok
    assert boot.subtests.name == "boot" and boot.subtests.plan == 2
    assert [r.name for r in boot.subtests.results] == ["multiboot_magic", "cmdline"]
    assert boot.subtests.results[1].diagnostics == ['boot_test.c:42: expected "a b"']
    names = [name for name, _ in doc.walk()]
    assert names == ["boot.multiboot_magic", "boot.cmdline", "boot", "gdt.loaded", "gdt"]


def test_nested_block_cut_off():
    doc = ktap.parse("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: boot\n"
                     "    1..3\n    ok 1 a\n")
    assert doc.results[-1].name == "boot" and not doc.results[-1].ok
    assert doc.results[-1].subtests.missing() == [2, 3]
    assert any("truncated" in e for e in doc.errors)


def test_garbage_and_carriage_returns_never_raise():
    doc = ktap.parse("KTAP version 1\r\n1..2\r\nhello from printf\r\nok 1 a\r\n\x00\xff junk\n"
                     "ok 1 again\nnot ok\n")
    assert doc.plan == 2
    assert "hello from printf" in doc.unknown
    assert any("expected 2" in e for e in doc.errors)  # duplicate numbering noticed
    assert any("without a number" in e for e in doc.errors)


def test_tap13_header_is_accepted():
    doc = ktap.parse("TAP version 13\n1..1\nok 1 x\n")
    assert doc.version == "TAP version 13" and doc.complete()
