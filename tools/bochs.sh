#!/bin/sh
# bochs.sh run|debug|test ISO DIR -- boot a Tidepool ISO in Bochs 2.7.
#
# Debian's Bochs has no headless display and no GDB stub (FIELD-NOTES):
#  - display: the VNC (rfb) server with timeout=0, so nothing waits for a
#    viewer; VNC on port 5900 (or the next free one) shows the screen;
#  - its built-in debugger stops before the first instruction, so the rc
#    file answers `c` (continue); the kernel's exit path executes the magic
#    breakpoint xchg %bx,%bx, which stops again, and `q` quits.
#   run:   COM1 on this terminal, COM2 to DIR/com2.txt
#   test:  COM1 to DIR/com1.txt, COM2 to DIR/com2.txt, no terminal
#   debug: Bochs' debugger prompt (try `help`, `c`, `info gdt`, `q`)
set -eu
mode=$1 iso=$2 dir=$3
mkdir -p "$dir"

if [ "$mode" = run ]; then
    # Output only: Bochs' "term" mode puts the terminal in raw mode and
    # needs a tty. Ctrl-C stops Bochs (its debugger then reads `q`).
    com1="com1: enabled=1, mode=file, dev=/dev/stdout"
else
    com1="com1: enabled=1, mode=file, dev=$dir/com1.txt"
fi

# Sound: Bochs 2.7 starts its mixer thread even with the speaker off, and
# on a machine without a usable ALSA default device (no sound card: CI
# runners, containers, a fresh headless Debian) that thread aborts Bochs
# at start-up with "*** buffer overflow detected ***" (exit status 134).
# Dummy drivers keep the mixer away from ALSA. Every bochsrc the project
# writes needs this line: write later labs' configs (a NIC, slirp) here
# too, so that they keep it.
BOCHS_SOUND="sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy"

# Lab 6: BOCHS_NET=1 adds an E1000 (82540EM) in PCI slot 1 on Bochs'
# slirp, which plays QEMU's user networking (10.0.2.15 by DHCP, gateway
# 10.0.2.2); BOCHS_HOSTFWD="udp:127.0.0.1:5556-:7 tcp:..." forwards host
# ports to the guest. Bochs' firmware routes its INTA# to IRQ 9 (QEMU: 11).
nic=""
if [ "${BOCHS_NET:-0}" = 1 ]; then
    {
        echo "# slirp config"          # Bochs checks this first line
        # Bochs' defaults are QEMU's network: 10.0.2.0/24, host
        # 10.0.2.2, DHCP from 10.0.2.15, DNS 10.0.2.3.
        for fwd in ${BOCHS_HOSTFWD:-}; do
            echo "hostfwd = $fwd"
        done
    } > "$dir/slirp.conf"
    nic="pci: enabled=1, chipset=i440fx, slot1=e1000
e1000: enabled=1, mac=52:54:00:12:34:56, ethmod=slirp, script=$dir/slirp.conf"
fi

cat > "$dir/bochsrc" <<CFG
megs: 128
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
$com1
com2: enabled=1, mode=file, dev=$dir/com2.txt
magic_break: enabled=1
port_e9_hack: enabled=1
clock: sync=none, time0=local
speaker: enabled=0
$BOCHS_SOUND
$nic
log: $dir/bochs.log
panic: action=fatal
CFG

printf 'c\nq\n' > "$dir/bochs.rc"
case $mode in
    debug) exec bochs -q -f "$dir/bochsrc" ;;
    *)     exec bochs -q -f "$dir/bochsrc" -rc "$dir/bochs.rc" ;;
esac
