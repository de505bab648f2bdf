#!/usr/bin/env python3
"""Test fixture for tcpdrop: a connection whose two ends carry many TCP-MD5 keys.

Usage:  md5keys.py --keys N

Any user may put TCP-MD5 keys on a socket of their own, hundreds of them
within net.core.optmem_max.  A socket diagnostics dump asked for by a
socket opened with CAP_NET_ADMIN carries every key in the socket's record,
and a record too large for a dump message ends the dump early, without an
error, hiding the sockets the walk would have found after it.  The keys are
for peers in 10.0.0.0/8, so the loopback connection carries on unsigned.
Run it as an unprivileged user, ONLY inside a network
namespace the test made.  Prints the number of keys set when ready;
SIGTERM/SIGINT: exit 0.
"""
import signal
import socket
import struct
import sys

TCP_MD5SIG = 14


def key(index):
    """struct tcp_md5sig: a peer address, flags, prefix, key length, ifindex, key."""
    peer = struct.pack('!HH4s', socket.AF_INET, 0,
                       bytes([10, index >> 16 & 255, index >> 8 & 255, index & 255]))
    address = struct.pack('=H', socket.AF_INET) + peer[2:] + bytes(128 - len(peer))
    return address + struct.pack('=BBHI', 0, 0, 80, 0) + bytes([index & 255]) * 80


def main(argv):
    if len(argv) != 2 or argv[0] != '--keys':
        print(__doc__, file=sys.stderr)
        return 2
    wanted = int(argv[1])
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    count = 0
    for i in range(wanted):
        try:
            for s in (client, accepted):
                s.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, key(i + 1))
        except OSError:  # optmem_max reached
            break
        count += 1
    print(count, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
