#!/bin/sh
# test-boot.sh ISO BUILD -- boot ISO (made with CMDLINE="test=boot.*
# panic=exit") through GRUB in QEMU and in Bochs, and
# check that each boot ran the boot.* test cases and all passed.
# (The third boot path, QEMU's -kernel loader, is the grader's own.)
set -u
iso=$1
build=$2
failed=0

# check_run NAME COM1 COM2: the banner on the console, and complete KTAP
# on COM2 with at least one case and no failures.
check_run() {
    name=$1 com1=$2 com2=$3
    plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$com2" 2>/dev/null)
    oks=$(grep -c '^ok ' "$com2" 2>/dev/null)
    bad=$(grep -c '^not ok ' "$com2" 2>/dev/null)
    if ! grep -q '^Tidepool .*(i386)' "$com1" 2>/dev/null; then
        echo "FAIL $name: no banner on COM1"; failed=1
    elif [ -z "$plan" ] || [ "$plan" -eq 0 ] || [ "$oks" -ne "$plan" ] || [ "$bad" -ne 0 ]; then
        echo "FAIL $name: KTAP plan '$plan', $oks ok, $bad not ok"; failed=1
    else
        echo "PASS $name: banner, $oks/$plan boot.* cases ok"; return 0
    fi
    echo "--- last lines of COM1:"; tail -n 15 "$com1" 2>/dev/null
    echo "--- COM2:"; tail -n 15 "$com2" 2>/dev/null
}

# 1. GRUB ISO in QEMU. Status 33 = the kernel's "done" (docs/protocol.md).
dir=$build/boot-qemu-iso
rm -rf "$dir"; mkdir -p "$dir"
timeout 120 qemu-system-i386 -m 128 -no-reboot -display none -cdrom "$iso" \
    -serial file:"$dir/com1.txt" -serial file:"$dir/com2.txt" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04
status=$?
if [ $status -ne 33 ]; then
    echo "FAIL qemu-iso: exit status $status, expected 33"; failed=1
else
    check_run qemu-iso "$dir/com1.txt" "$dir/com2.txt"
fi

# 2. The same ISO in Bochs (exits through the magic breakpoint).
dir=$build/boot-bochs
rm -rf "$dir"
timeout 300 sh tools/bochs.sh test "$iso" "$dir" >"$dir.out" 2>&1
status=$?
if [ $status -ne 0 ]; then
    echo "FAIL bochs: exit status $status"; tail -n 5 "$dir.out"; failed=1
else
    check_run bochs "$dir/com1.txt" "$dir/com2.txt"
fi

# 3. From lab 4 on, a second ISO (RUN_ISO) carries the initrd and runs
# /bin/t_paths: user programs and both system-call doors (or int $0x80
# alone, where the emulated CPU has no sysenter) in QEMU and in Bochs.
if [ -n "${RUN_ISO:-}" ]; then
    check_program() {
        name=$1 com1=$2
        if grep -q '^run: /bin/t_paths exited with status 0' "$com1" 2>/dev/null; then
            echo "PASS $name: /bin/t_paths ran from the initrd, $(grep -c '^ok ' "$com1") cases ok"
        else
            echo "FAIL $name: no 'run: /bin/t_paths exited with status 0'"; failed=1
            echo "--- last lines of COM1:"; tail -n 15 "$com1" 2>/dev/null
        fi
    }
    dir=$build/run-qemu-iso
    rm -rf "$dir"; mkdir -p "$dir"
    timeout 120 qemu-system-i386 -m 128 -no-reboot -display none -cdrom "$RUN_ISO" \
        -serial file:"$dir/com1.txt" -serial file:"$dir/com2.txt" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04
    check_program qemu-iso-run "$dir/com1.txt"
    dir=$build/run-bochs
    rm -rf "$dir"
    timeout 300 sh tools/bochs.sh test "$RUN_ISO" "$dir" >"$dir.out" 2>&1
    check_program bochs-run "$dir/com1.txt"
fi
exit $failed
