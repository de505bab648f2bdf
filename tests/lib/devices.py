#!/usr/bin/env python3
"""Test fixture for tcpdrop: two connections that differ only in their device.

Usage:  devices.py --out FILE --peer NETNS_PATH --family 4|6 DEV0 DEV1 PEER0 PEER1

Run in the test's namespace, which holds devices DEV0 and DEV1, each a veth
whose other end (PEER0, PEER1) is in the namespace at NETNS_PATH; both pairs
carry the same addresses: fe80::1 here and fe80::2 there (family 6, link-local,
so each connection is scoped to its device), or 192.0.2.1 and 192.0.2.2
(family 4, every socket bound to its device with SO_BINDTODEVICE).  The
clients, in the peer namespace, use the same port on both devices, so the two
connections here have the same addresses and ports and differ only in device.

When both are established it writes FILE atomically, a line per connection
held here:  LADDR%DEV LPORT FADDR FPORT.  SIGTERM/SIGINT: close all, exit 0.
Run it ONLY inside network namespaces the test made.
"""
import ctypes
import os
import signal
import socket
import sys

CLONE_NEWNET = 0x40000000
TIMEOUT = 5.0
ADDRESSES = {'6': ('fe80::1', 'fe80::2'), '4': ('192.0.2.1', '192.0.2.2')}
_libc = ctypes.CDLL(None, use_errno=True)


def enter(path):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {path}')
    finally:
        os.close(fd)


def bound_socket(family, device):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def endpoint(family, address, port, device):
    if family == socket.AF_INET6:
        return (address, port, 0, socket.if_nametoindex(device))
    return (address, port)


def main(argv):
    if len(argv) != 10 or argv[0] != '--out' or argv[2] != '--peer' or \
            argv[4] != '--family' or argv[5] not in ADDRESSES:
        print(__doc__, file=sys.stderr)
        return 2
    out, peer, version, devices, peers = argv[1], argv[3], argv[5], argv[6:8], argv[8:10]
    family = socket.AF_INET6 if version == '6' else socket.AF_INET
    here, there = ADDRESSES[version]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    own = os.open('/proc/thread-self/ns/net', os.O_RDONLY | os.O_CLOEXEC)
    # One listener per device on the same port: the sockets it accepts
    # inherit its device, as link-local ones would take it anyway.
    listeners = [bound_socket(family, d) for d in devices]
    listeners[0].bind(endpoint(family, here, 0, devices[0]))
    port = listeners[0].getsockname()[1]
    listeners[1].bind(endpoint(family, here, port, devices[1]))
    for s in listeners:
        s.listen(4)
        s.settimeout(TIMEOUT)
    enter(peer)
    clients = [bound_socket(family, d) for d in peers]
    clients[0].bind(endpoint(family, there, 0, peers[0]))
    cport = clients[0].getsockname()[1]
    clients[1].bind(endpoint(family, there, cport, peers[1]))
    for c, d in zip(clients, peers):
        c.settimeout(TIMEOUT)
        c.connect(endpoint(family, here, port, d))
    if _libc.setns(own, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns back')
    accepted = [s.accept()[0] for s in listeners]
    with open(out + '.tmp', 'w') as f:
        for d in devices:
            f.write(f'{here}%{d} {port} {there} {cport}\n')
    os.rename(out + '.tmp', out)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    for s in listeners + clients + accepted:
        s.close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
