# tools/gdb/demos/06-net.gdb -- the GDB demo of lab 6's lecture
# (a frame in the E1000's receive ring, followed up the stack).
#
# `make demo LAB=6` plays it and waits for Enter between steps;
# `make demo LAB=6 DEMO_PAUSE=0` runs it straight through and checks the
# expect lines; `make test-demos` does that for every demo. The format is
# described in tools/gdb/tpgdb/demofile.py (see also 01-boot.gdb).
#
# It needs lab 6's exercises solved (LAB=6 with the default SOLVED, or the
# full kernel): with the stubs nothing is received and DHCP never ends.
#
# What it shows: the kernel boots with an E1000 on QEMU's user network
# (`net: yes`: a free host port, $http_port, is forwarded to the guest's
# tcp 80), gets 10.0.2.15 by DHCP, and init starts httpd. Once httpd
# listens, the demo starts `curl` on the host, in the background, and
# stops in the E1000's interrupt handler: the card has just written the
# connection's first frame (slirp's SYN) into a receive buffer by DMA.
# We look at the descriptor and the bytes, then follow the frame through
# netd into the stack, and see the SYN-ACK leave through the transmit
# ring. curl waits meanwhile: QEMU's slirp keeps the host side of the
# connection while the guest is stopped.
#
# Why it is the same on every run: after DHCP the guest is silent and
# slirp sends nothing unasked, so the first receive interrupt after curl
# starts is curl's SYN (slirp's hostfwd opens the guest connection only
# when curl connects). One CPU: netd cannot drain the ring between the
# interrupt and our stop. Every stop is a tbreak on a function, no stepi
# (see 05-sync.gdb).
#
# title: Lab 6 -- curl waits while we walk the E1000's receive ring and follow a SYN up the stack
# initrd: yes
# net: yes

## Boot until httpd listens
# The kernel probes PCI, starts the E1000 and netd, asks slirp's DHCP
# server for an address (10.0.2.15, gateway 10.0.2.2); init then starts
# udpecho and httpd. httpd's listen() ends in tcp_listen() for port 80.
tbreak tcp_listen if port == 80
continue
# expect-re: Temporary breakpoint [\d.]+, tcp_listen \(
# local_ip 0: any of our addresses (INADDR_ANY).
p/x local_ip
p port
# expect-re: ^\$\d+ = 80$
# The interface's address, from DHCP (host order: 0x0a00020f).
p/x net_iface()->ip
# expect-re: ^\$\d+ = 0xa00020f$

## curl on the host, and the receive interrupt
# Finish listen(), then start curl on the host in the background. It
# connects to the forwarded port: slirp opens a TCP connection to
# 10.0.2.15:80, and the card raises its interrupt for the SYN.
finish
python
import subprocess, tpgdb.target as _t
demo_curl = subprocess.Popen(
    ["curl", "-s", "-m", "90", "-o", "/dev/null", "-w", "curl: HTTP %{http_code}, %{size_download} bytes\n",
     "http://127.0.0.1:%d/hello.txt" % _t.http_port],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
print("curl started: GET http://127.0.0.1:%d/hello.txt" % _t.http_port)
end
# expect-re: curl started: GET http://127\.0\.0\.1:\d+/hello\.txt
tbreak e1000_interrupt
continue
# expect-re: Temporary breakpoint [\d.]+, e1000_interrupt \(
# Interrupted wherever the CPU was (often the idle loop): the trap frame
# is underneath, and nothing of the stack has run yet.
bt 3
# expect-re: ^#0\s+e1000_interrupt \(

## Walk the receive ring
# rx_next is the descriptor the driver takes next. The card has filled
# it: the length (a SYN is 58 bytes, padded to Ethernet's minimum of 60)
# and the status: DD (1, descriptor done) | EOP (2, end of packet), and
# QEMU also sets IXSM (4, "no checksum verdict": we did not ask for one).
p rx_next
p rx_ring[rx_next]
# expect-re: length = 60, .*status = (3|7) '
# The buffer's physical address is in the descriptor; the kernel reads the
# same bytes through rx_buf[] (the direct map: virtual == physical).
p/x rx_ring[rx_next].addr == (unsigned)rx_buf[rx_next]
# expect-re: ^\$\d+ = 0x1$
# The Ethernet header: our MAC (QEMU's default 52:54:00:12:34:56),
# slirp's gateway MAC 52:55:0a:00:02:02, EtherType 0x0800 (IPv4).
x/14xb rx_buf[rx_next]
# expect-re: 0x52\s+0x54\s+0x00\s+0x12\s+0x34\s+0x56\s+0x52\s+0x55
# expect-re: 0x08\s+0x00
# IPv4: protocol 6 (TCP) at byte 14+9; TCP flags at 14+20+13: 0x02 = SYN.
p rx_buf[rx_next][23]
# expect-re: ^\$\d+ = 6 '\\006'$
p/x rx_buf[rx_next][47]
# expect-re: ^\$\d+ = 0x2$
# Everything the card has filled and the driver has not taken yet:
# every descriptor whose status has DD.
python
import gdb
n = int(gdb.parse_and_eval("sizeof(rx_buf) / sizeof(rx_buf[0])"))
nxt = int(gdb.parse_and_eval("rx_next"))
filled = [i for i in range(n) if int(gdb.parse_and_eval("rx_ring[%d].status" % i)) & 1]
print("descriptors with DD: %s (rx_next = %d)" % (filled, nxt))
end
# expect-re: descriptors with DD: \[\d+.*\] \(rx_next = \d+\)

## Up the stack: netd, Ethernet, IPv4, TCP
# The handler only wakes netd. netd takes net_lock, copies the frame out
# of the ring (e1000_receive, exercise 3) and calls net_input().
tbreak ipv4_input
continue
# expect-re: Temporary breakpoint [\d.]+, ipv4_input \(
# The backtrace runs from netd's loop (netd_main, drain_rx) to here;
# net_input and eth_input are so short that gcc -O2 folded them into
# their callers (eth_input ends in a jump to ipv4_input).
bt
# expect-re: ^#0\s+ipv4_input \(
# expect-re: netd_main
# len: what followed the Ethernet header, 46 bytes; the IP header's
# total length says 44 (0x2c, below). ipv4_parse (exercise 4) checks the
# claim against the frame; the 2 bytes of padding are cut.
p len
# expect-re: ^\$\d+ = 46$
tbreak tcp_input
continue
# expect-re: Temporary breakpoint [\d.]+, tcp_input \(
# The IP header, parsed: source 10.0.2.2 (slirp), destination us.
p/x *ip
# expect-re: src = 0xa000202, dst = 0xa00020f
p/x seg[13]
# expect-re: ^\$\d+ = 0x2$

## The answer leaves through the transmit ring
# The listener makes a child connection in SYN_RECEIVED and sends a
# SYN-ACK: down through ipv4_output and arp_output to eth_output and the
# transmit ring (exercise 2). Nothing has asked for 10.0.2.2's MAC yet
# (DHCP went by broadcast), so ARP's cache (exercise 5) has no entry: the
# first frame out is an ARP request, broadcast (EtherType 0x0806), and
# the SYN-ACK waits in ARP's pending queue.
tbreak e1000_transmit
continue
# expect-re: Temporary breakpoint [\d.]+, e1000_transmit \(
p/x frame[12]@2
# expect-re: ^\$\d+ = \{0x8, 0x[06]\}$
p tx_next
# Now stop at the frame that is IPv4 (0x0800) and TCP with SYN|ACK (0x12):
# when slirp's ARP reply arrives, arp_input learns the MAC and flushes the
# pending queue, oldest first.
tbreak e1000_transmit if frame[12] == 8 && frame[13] == 0 && frame[23] == 6 && frame[47] == 0x12
continue
# expect-re: Temporary breakpoint [\d.]+, e1000_transmit \(
bt 4
# expect-re: ^#[12]\s+0x[0-9a-f]+ in (eth_output|arp_flush|arp_output|ipv4_output)
p len
p tx_next
p/x frame[47]
# expect-re: ^\$\d+ = 0x12$
# The descriptor we are about to fill is free: the card set DD when it
# sent the last frame from it (or at set-up).
p tx_ring[tx_next]
# expect-re: status = 1 '

## Let it run: curl gets its page
# Stop again when httpd's child closes the connection (after its reply),
# then ask curl how it went.
tbreak tcp_close
continue
# expect-re: Temporary breakpoint [\d.]+, tcp_close \(
python
try:
    out, _ = demo_curl.communicate(timeout=60)
except subprocess.TimeoutExpired:
    demo_curl.kill()
    out = "curl: no answer within 60 s\n"
print(out.strip())
end
# expect-re: curl: HTTP 200, \d+ bytes
