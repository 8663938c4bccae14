# .gdbinit -- GDB setup for Tidepool. `make gdb` uses it; so does a plain
# `gdb` started in this directory once GDB trusts it (see README.md,
# "GDB says: auto-loading has been declined").
#
# It loads the kernel's symbols (build/kernel.elf unless GDB was given a
# file), loads the kernel-aware commands, and connects to `make qemu-gdb`
# on this user's port: 25000 + uid % 5000, the same formula as the Makefile.
set confirm off
set pagination off
set architecture i386
source tools/gdb/tidepool.py
tidepool-connect
