#!/usr/bin/env python3
"""Benchmark helper: hold COUNT established loopback TCP pairs.

Usage: pairs.py COUNT [ADDRESS PORT]
Opens a listener on 127.0.0.1 (port chosen by the kernel), or on ADDRESS
and PORT if given (the benchmark's selections use this), makes COUNT
connections to it and accepts them, prints a few of them as "pair LADDR
LPORT FADDR FPORT" (the client's end), then "ready", and holds every socket
until standard input closes.  A process may hold at most 20000
descriptors, so the benchmark runs several of these.
"""
import resource
import socket
import struct
import sys


def main():
    count = int(sys.argv[1])
    address = (sys.argv[2], int(sys.argv[3])) if len(sys.argv) > 3 else ('127.0.0.1', 0)
    # Two descriptors a pair and a few more, whatever limit it was started
    # with (1024 where nothing raised it): as root, past the hard limit too.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * count + 64
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(needed, hard), max(needed, hard)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(4096)
    address = listener.getsockname()
    held = []
    for _ in range(count):
        client = socket.create_connection(address)
        server, _ = listener.accept()
        held += (client, server)
    for client in held[0:40:2]:
        print('pair', *client.getsockname(), *client.getpeername())
    print('ready', flush=True)
    sys.stdin.read()
    # Close with a reset, so that no TIME_WAIT sockets are left to the next
    # measurement.
    abort = struct.pack('ii', 1, 0)
    for sock in held:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, abort)
        sock.close()


if __name__ == '__main__':
    main()
