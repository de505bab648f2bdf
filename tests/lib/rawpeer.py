#!/usr/bin/env python3
"""Test fixture for tcpdrop: a TCP connection whose peer uses source port 0.

The socket API never lets a client bind port 0 (it means "pick one"), yet a
peer on the network may send from port 0 and the kernel accepts it.  Tools
must still list and drop such a connection (ss shows its port as '*').  So
connect_from_port0() plays the client by hand with a raw socket: it sends
the SYN from port 0, reads the listener's SYN-ACK, sends the final ACK and
returns the accepted, ESTABLISHED server-side socket.

Run it ONLY inside a private network namespace (unshare -n): it adds an
nftables table `rawpeer_fixture` there; cleanup() removes it.
"""
import ctypes
import os
import random
import select
import socket
import struct
import subprocess
import time

TIMEOUT = 5.0  # wait this long for the SYN-ACK and for accept()
NFT_TABLE = 'rawpeer_fixture'
SYN, RST, ACK = 0x02, 0x04, 0x10
_libc = ctypes.CDLL(None, use_errno=True)


class Fail(Exception):
    pass


def _sum16(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def _segment(family, src, dst, sport, dport, seq, ack, flags):
    """A TCP header without options, its checksum over the pseudo-header."""
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0)
    a, b = socket.inet_pton(family, src), socket.inet_pton(family, dst)
    if family == socket.AF_INET:
        pseudo = a + b + struct.pack('!BBH', 0, socket.IPPROTO_TCP, len(hdr))
    else:
        pseudo = a + b + struct.pack('!I3xB', len(hdr), socket.IPPROTO_TCP)
    csum = ~_sum16(pseudo + hdr) & 0xffff
    return hdr[:16] + struct.pack('!H', csum) + hdr[18:]


def _nft(script):
    p = subprocess.run(['nft', '-f', '-'], input=script, text=True,
                       capture_output=True)
    if p.returncode:
        raise Fail(f'nft: {p.stderr.strip()}')


def install_rst_drop():
    """No socket owns port 0 on our side, so the kernel answers the SYN-ACK
    (and anything else the server sends there) with a RST from port 0 that
    would kill the connection; drop those RSTs on output.  The raw socket
    still sees the SYN-ACK: it is copied to raw sockets before TCP runs."""
    # Adding then deleting makes this idempotent: the table is new each time.
    _nft(f'add table inet {NFT_TABLE}\ndelete table inet {NFT_TABLE}\n'
         f'add table inet {NFT_TABLE}\n'
         f'add chain inet {NFT_TABLE} out '
         '{ type filter hook output priority 0; }\n'
         f'add rule inet {NFT_TABLE} out tcp sport 0 '
         'tcp flags & rst == rst drop\n')


def cleanup():
    """Remove the nftables table.  A RST the server sends to port 0 (when
    tcpdrop drops it) draws no answer, so nothing hangs.  A FIN or data it
    sends draws a RST from port 0: while the table is there that RST is
    dropped (a closed server socket lingers in FIN_WAIT_1, harmless in a
    private netns); after cleanup() it resets the server socket."""
    subprocess.run(['nft', 'delete', 'table', 'inet', NFT_TABLE],
                   capture_output=True)


def _wait_synack(raw, family, addr, lport, iss):
    deadline = time.monotonic() + TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([raw], [], [], left)[0]:
            break
        pkt, src = raw.recvfrom(65535)
        if family == socket.AF_INET:  # IPv4 raw sockets get the IP header
            pkt = pkt[(pkt[0] & 0x0f) * 4:]
        if len(pkt) < 20 or src[0] != addr:
            continue
        sport, dport, seq, ack, _, flags = struct.unpack('!HHIIBB', pkt[:14])
        # Our own SYN loops back to this socket too: match the reply only.
        if (sport, dport) != (lport, 0) or ack != (iss + 1) & 0xffffffff:
            continue
        if flags & RST:
            raise Fail(f'{addr} port {lport} answered our SYN with a RST')
        if flags & (SYN | ACK) == SYN | ACK:
            return seq
    raise Fail(f'no SYN-ACK from {addr} port {lport} to port 0 within '
               f'{TIMEOUT:g}s')


def connect_from_port0(listener_sock, family):
    """Handshake with listener_sock (listening on 127.0.0.1 or ::1) from
    port 0 of the same address.  Returns (accepted socket, (laddr, lport,
    faddr, fport)) with fport 0; the rst-drop table stays until cleanup()."""
    addr, lport = listener_sock.getsockname()[:2]
    if addr in ('0.0.0.0', '::'):  # the checksum needs the real address
        raise Fail('bind the listener to 127.0.0.1 or ::1, not a wildcard')
    install_rst_drop()
    # Without IP_HDRINCL the kernel writes the IP header; binding the raw
    # socket fixes its source address, which the checksum covers.
    with socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_TCP) as raw:
        raw.bind((addr, 0))
        dest = (addr, 0)
        iss = random.getrandbits(32)
        raw.sendto(_segment(family, addr, addr, 0, lport, iss, 0, SYN), dest)
        irs = _wait_synack(raw, family, addr, lport, iss)
        raw.sendto(_segment(family, addr, addr, 0, lport, (iss + 1) &
                            0xffffffff, (irs + 1) & 0xffffffff, ACK), dest)
    # accept() and getpeername() fail (ECONNABORTED, ENOTCONN) when the
    # peer port is 0, because the kernel's inet_getname() takes port 0 for
    # "not connected"; Python's accept() always asks for the peer address,
    # and a failed accept closes the new socket.  So call accept4() without
    # an address buffer, after select() so that it never blocks.
    if not select.select([listener_sock], [], [], TIMEOUT)[0]:
        raise Fail(f'nothing to accept on port {lport} after the handshake')
    fd = _libc.accept4(listener_sock.fileno(), None, None,
                       socket.SOCK_CLOEXEC)
    if fd < 0:
        err = ctypes.get_errno()
        raise Fail(f'accept4 on port {lport}: {os.strerror(err)}')
    acc = socket.socket(fileno=fd)
    return acc, acc.getsockname()[:2] + (addr, 0)


def _selftest(family, host):
    with socket.socket(family, socket.SOCK_STREAM) as lst:
        lst.bind((host, 0))
        lst.listen(4)
        acc, tup = connect_from_port0(lst, family)
        print(tup)
        out = subprocess.run(['ss', '-tanH'], capture_output=True,
                             text=True).stdout
        print(out, end='')
        h = f'[{host}]' if family == socket.AF_INET6 else host
        want = [f'{h}:{tup[1]}', f'{h}:*']  # ss prints port 0 as '*'
        if not any(f[:1] == ['ESTAB'] and f[3:5] == want
                   for f in map(str.split, out.splitlines())):
            raise Fail(f'ss shows no ESTAB {want[0]} <-> {want[1]}')
        acc.close()


if __name__ == '__main__':
    try:
        _selftest(socket.AF_INET, '127.0.0.1')
        _selftest(socket.AF_INET6, '::1')
        print('ok')
    finally:
        cleanup()
