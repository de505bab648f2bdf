#!/usr/bin/env python3
"""Test helper: read a FIFO, signal a process after its first line.

Usage:  reader.py FIFO PID SIGNAL OUT

Reads FIFO a byte at a time until the first whole line, sends SIGNAL (a
number) to PID, then reads the rest until end of file; writes everything it
read to OUT.  While it waits for the first line the writer may fill the
pipe and block in write(2): the signal then comes while the writer is
mid-output, which is what the test wants to see handled.
"""
import os
import sys


def main(argv):
    fifo, pid, signal_number, out = argv[0], int(argv[1]), int(argv[2]), argv[3]
    got = bytearray()
    fd = os.open(fifo, os.O_RDONLY)
    while not got.endswith(b'\n'):
        byte = os.read(fd, 1)
        if not byte:
            break
        got += byte
    os.kill(pid, signal_number)
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        got += chunk
    with open(out, 'wb') as f:
        f.write(got)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
