"""The kernel's console log ring, kmsg_buf/kmsg_written (pure: no gdb).

kernel/console.c stores byte number i (counting from boot) at
kmsg_buf[i % KMSG_SIZE] and counts every byte in kmsg_written, so the
buffer holds the last KMSG_SIZE bytes, the oldest at kmsg_written % KMSG_SIZE
once it has wrapped.
"""


def ring_contents(buf, written):
    """(bytes in order, number of older bytes lost). When the ring has
    wrapped, the oldest line is cut: it is dropped, and counted as lost."""
    size = len(buf)
    buf = bytes(buf)
    if written <= size:
        return buf[:written], 0
    start = written % size
    data = buf[start:] + buf[:start]
    lost = written - size
    cut = data.find(b"\n")
    if cut >= 0:
        data = data[cut + 1:]
        lost += cut + 1
    return data, lost


def last_lines(data, n):
    """The last n lines of data (a final line without newline counts)."""
    if n <= 0:
        return b""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
        tail = lines[-n:]
        return b"\n".join(tail) + b"\n" if tail else b""
    return b"\n".join(lines[-n:])


def printable(data):
    """Text for the terminal: CR dropped, other control bytes escaped."""
    out = []
    for b in data:
        if b in (0x0A, 0x09) or 0x20 <= b < 0x7F:
            out.append(chr(b))
        elif b == 0x0D:
            continue
        else:
            out.append("\\x%02x" % b)
    return "".join(out)
