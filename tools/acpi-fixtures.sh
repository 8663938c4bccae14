#!/bin/sh
# acpi-fixtures.sh -- regenerate the ACPI table fixtures of the host tests
# (kernel/tests/host/acpi_test.c) from QEMU and Bochs, in the machine
# shapes the lab-5 tests boot. Each takes a second or two.
set -eu
out=kernel/tests/host/fixtures/acpi
mkdir -p $out
dump="/usr/bin/python3 -B tools/acpi-dump.py"
$dump qemu $out/qemu-smp1.bin -smp 1
$dump qemu $out/qemu-smp2.bin -smp 2
$dump qemu $out/qemu-smp4.bin -smp 4
$dump qemu $out/qemu-smp4-sockets4.bin -smp 4,sockets=4
$dump bochs $out/bochs-cpu1.bin 1
$dump bochs $out/bochs-cpu2.bin 2
$dump bochs $out/bochs-cpu4.bin 4
$dump qemu $out/qemu-smp1-maxcpus4.bin -smp 1,maxcpus=4
