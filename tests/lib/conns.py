#!/usr/bin/env python3
"""Test fixture for tcpdrop: hold TCP sockets in chosen states on loopback.

Usage:  conns.py --out DIR SPEC [SPEC ...]
  SPEC = NAME[,family=4|6|mapped|mapped6][,cc=ALGO][,port=N][,cport=N][,bound]
  NAME = ESTABLISHED CLOSE_WAIT FIN_WAIT_1 FIN_WAIT_2 CLOSING LAST_ACK
         TIME_WAIT SYN_SENT SYN_RCVD LISTEN MPTCP PORT0 ORPHAN
  port: the listener's port; cport: the client's (so that two fixtures in
  two namespaces can hold connections with the same addresses and ports);
  bound: the listener and the client are bound to the loopback device
  (SO_BINDTODEVICE), as are the sockets the listener accepts.  PORT0: the
  client is played by hand from port 0 (rawpeer.py); only the accepted
  socket exists, ESTABLISHED, and it is the target.  ORPHAN: a FIN_WAIT_1
  client that the fixture has closed (no process holds it), its FIN stuck
  behind data the server never reads; the kernel probes the closed window
  for about a minute before it gives the orphan up.
  family: 4 = 127.0.0.1, 6 = ::1, mapped = AF_INET client -> dual-stack
  AF_INET6 listener on :: (only server-side sockets are ::ffff:127.0.0.1),
  mapped6 = the client is a dual-stack AF_INET6 socket too (every socket of
  the spec is AF_INET6 with ::ffff:127.0.0.1).

Run it ONLY inside a private network namespace (unshare -n): for SYN_* it
adds nftables rules and raises net.ipv4.tcp_synack_retries there.

When everything is in place it writes DIR/sockets atomically, one line per
socket:  INDEX ROLE STATE LADDR LPORT FADDR FPORT  (ROLE target|peer|listener)
On SIGUSR1 it writes DIR/report atomically, one line per socket object held:
  INDEX ROLE LADDR LPORT FADDR FPORT RESULT STATE
RESULT: errno name of the first error the socket saw (ECONNABORTED: destroyed
under us; ECONNRESET: got a reset), else eof or ok; listeners: accepts or
refuses.  STATE comes from TCP_INFO.  SIGTERM/SIGINT: close all, exit 0.
Send SIGUSR1 only once DIR/sockets exists.  TIME_WAIT targets expire 60 s
after setup; the other states hold until the fixture exits.
"""
import errno
import fcntl
import os
import signal
import socket
import struct
import subprocess
import sys
import time

IPPROTO_MPTCP = 262
SIOCINQ, SIOCOUTQNSD = 0x541B, 0x894B
TIMEOUT = 5.0          # every wait during setup gives up after this
SMALL_RCVBUF = 4096    # receiver that never reads: its window closes quickly
SENDER_SNDBUF = 65536  # sender keeps more unsent data than the peer accepts
NFT_TABLE = 'conns_fixture'

KSTATE = {1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RCVD', 4: 'FIN_WAIT_1',
          5: 'FIN_WAIT_2', 6: 'TIME_WAIT', 7: 'CLOSED', 8: 'CLOSE_WAIT',
          9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING', 12: 'SYN_RCVD'}
# ss names that are not simply the FreeBSD name with '-' for '_'
SS_STATE = {'ESTAB': 'ESTABLISHED', 'SYN-RECV': 'SYN_RCVD',
            'UNCONN': 'CLOSED', 'CLOSE': 'CLOSED'}
# family -> (listener family, listener address, client family, connect address)
FAMILIES = {
    '4': (socket.AF_INET, '127.0.0.1', socket.AF_INET, '127.0.0.1'),
    '6': (socket.AF_INET6, '::1', socket.AF_INET6, '::1'),
    'mapped': (socket.AF_INET6, '::', socket.AF_INET, '127.0.0.1'),
    'mapped6': (socket.AF_INET6, '::', socket.AF_INET6, '::ffff:127.0.0.1'),
}


class Fail(Exception):
    pass


class Spec:
    def __init__(self, index, text):
        self.index, self.text = index, text
        name, *opts = text.split(',')
        self.name, self.family, self.cc, self.port = name, '4', None, 0
        self.cport, self.bound = 0, False
        if name not in BUILDERS:
            raise Fail(f'spec {index} ({text}): unknown state {name}')
        for opt in opts:
            key, _, val = opt.partition('=')
            if key == 'family' and val in FAMILIES:
                self.family = val
            elif key == 'cc' and val:
                self.cc = val
            elif key == 'port' and val.isdigit() and int(val) < 65536:
                self.port = int(val)
            elif key == 'cport' and val.isdigit() and int(val) < 65536:
                self.cport = int(val)
            elif key == 'bound' and not val:
                self.bound = True
            else:
                raise Fail(f'spec {index} ({text}): bad option {opt!r}')
        self.lfam, self.laddr, self.cfam, self.caddr = FAMILIES[self.family]


class Entry:
    """One socket: a Python socket object, or (sock None) a kernel-only
    TIME_WAIT / request socket that only ss can show us."""
    def __init__(self, spec, role, want, sock=None, tup=None, listener=False):
        self.spec, self.role, self.want, self.sock = spec, role, want, sock
        self.listener, self.seen, self.state = listener, None, None
        if tup is None:
            tup = sock.getsockname()[:2] + sock.getpeername()[:2]
        self.tup = tup  # (laddr, lport, faddr, fport)


# ---------------------------------------------------------------- helpers

def tcp_state(sock):
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return KSTATE.get(info[0], str(info[0]))

def ioctl_int(sock, req):
    return struct.unpack('i', fcntl.ioctl(sock.fileno(), req, b'\0' * 4))[0]

def hostport(text):
    host, _, port = text.rpartition(':')
    return host.strip('[]').split('%')[0], int(port) if port.isdigit() else 0

def ss_rows():
    """All TCP sockets of this netns as (state, laddr, lport, faddr, fport)."""
    p = subprocess.run(['ss', '-tanH'], capture_output=True, text=True)
    if p.returncode:
        raise Fail(f'ss -tanH failed: {p.stderr.strip()}')
    rows = []
    for f in (line.split() for line in p.stdout.splitlines()):
        if len(f) >= 5:
            state = SS_STATE.get(f[0], f[0].replace('-', '_'))
            rows.append((state,) + hostport(f[3]) + hostport(f[4]))
    return rows

def ss_find(rows, lport, fport, state):
    return next((r for r in rows if r[2] == lport and r[4] == fport
                 and r[0] == state), None)

def wait(cond, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise Fail(f'timed out after {timeout:g}s waiting for {what}')
        time.sleep(0.01)

def wait_state(sock, state, who):
    try:
        wait(lambda: tcp_state(sock) == state, f'{who} to reach {state}')
    except Fail as x:
        raise Fail(f'{x} (it is {tcp_state(sock)})')

def run(cmd, stdin=None, check=True):
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    except FileNotFoundError:
        raise Fail(f'{cmd[0]}: command not found')
    if check and p.returncode:
        raise Fail(f'{" ".join(cmd)}: {p.stderr.strip()}')

def sysctl(path, value):
    """Set a (per-netns) sysctl, return its old value."""
    with open(path) as f:
        old = f.read().strip()
    if old != value:
        with open(path, 'w') as f:
            f.write(value)
    return old

def new_socket(spec, family):
    proto = IPPROTO_MPTCP if spec.name == 'MPTCP' else 0
    s = socket.socket(family, socket.SOCK_STREAM, proto)
    if family == socket.AF_INET6:  # mapped* needs dual-stack sockets
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY,
                     0 if spec.family.startswith('mapped') else 1)
    if spec.bound:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'lo')
    set_cc(spec, s)
    return s

def set_cc(spec, s):
    try:
        if spec.cc:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION,
                         spec.cc.encode())
    except OSError as x:  # ENOENT: algorithm not available
        raise Fail(f'cannot set TCP_CONGESTION {spec.cc}: {x.strerror}')

def listener(spec, rcvbuf=None):
    s = new_socket(spec, spec.lfam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:  # before listen(): inherited by accept(), sets window scale
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    try:
        s.bind((spec.laddr, spec.port))
    except OSError as x:
        raise Fail(f'cannot bind {spec.laddr} port {spec.port}: {x.strerror}')
    s.listen(16)
    wild = '0.0.0.0' if spec.lfam == socket.AF_INET else '::'
    return Entry(spec, 'listener', 'LISTEN', s,
                 s.getsockname()[:2] + (wild, 0), listener=True)

def pair(spec, lst, client_rcvbuf=None):
    """Connect a client to lst and accept it: returns (client, server)."""
    c = new_socket(spec, spec.cfam)
    if client_rcvbuf:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, client_rcvbuf)
    if spec.cport:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind(('', spec.cport))
    c.settimeout(TIMEOUT)
    c.connect((spec.caddr, lst.tup[1]))
    lst.sock.settimeout(TIMEOUT)
    a, _ = lst.sock.accept()
    set_cc(spec, a)
    for s in (c, a, lst.sock):
        s.setblocking(False)
    return c, a

def fill(sender, receiver):
    """Queue data until the receiver (which never reads) has closed its
    window and the sender still holds unsent bytes: a FIN queued after that
    is never transmitted, which freezes FIN_WAIT_1 / CLOSING / LAST_ACK."""
    sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SENDER_SNDBUF)
    chunk, last = b'x' * 65536, None
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            while True:
                sender.send(chunk)
        except BlockingIOError:
            pass
        now = (ioctl_int(receiver, SIOCINQ), ioctl_int(sender, SIOCOUTQNSD))
        if now == last and now[1] > 0:  # receive queue stopped growing
            return
        last = now
        time.sleep(0.05)
    raise Fail(f'could not close the receive window (inq, unsent) = {last}')


class SynAckDrop:
    """Drops the SYN-ACKs of chosen connections with nftables.  No tc
    fallback: a tc drop needs act_gact, which the test kernel lacks."""
    SYNACK_SYSCTL = '/proc/sys/net/ipv4/tcp_synack_retries'

    def __init__(self):
        self.table = self.synack_old = None

    def add(self, lport, cport):
        if self.table is None:
            # A request socket dies after tcp_synack_retries SYN-ACKs (~63 s
            # by default); keep it ~12 min so slow tests still find it.
            try:
                self.synack_old = sysctl(self.SYNACK_SYSCTL, '12')
            except OSError:  # not fatal: the request socket lives ~63 s
                pass
            try:
                # Drop on input, not output: a SYN-ACK dropped on output
                # fails the listener's retransmit (EPERM), and a failed
                # retransmit makes the kernel drop the request socket.
                run(['nft', '-f', '-'], f'add table inet {NFT_TABLE}\n'
                    f'add chain inet {NFT_TABLE} in '
                    '{ type filter hook input priority 0; }\n')
            except Fail as x:
                raise Fail(f'cannot drop SYN-ACKs with nftables: {x}')
            self.table = NFT_TABLE
        run(['nft', 'add', 'rule', 'inet', NFT_TABLE, 'in',
             'tcp', 'sport', str(lport), 'tcp', 'dport', str(cport),
             'tcp', 'flags', '&', '(syn|ack)', '==', 'syn|ack', 'drop'])

    def cleanup(self):
        if self.table:
            run(['nft', 'delete', 'table', 'inet', NFT_TABLE], check=False)
        if self.synack_old is not None:
            sysctl(self.SYNACK_SYSCTL, self.synack_old)


DROP = SynAckDrop()

# ------------------------------------------------------ one builder per state
# Each returns the Entries of one spec; `want` is the state each socket must
# show before the fixture declares itself ready.

def st_established(spec):
    lst = listener(spec)
    c, a = pair(spec, lst)
    return [Entry(spec, 'target', 'ESTABLISHED', c),
            Entry(spec, 'peer', 'ESTABLISHED', a), lst]

def half_closed(spec):
    """Server shuts down writing: client CLOSE_WAIT, server FIN_WAIT_2."""
    lst = listener(spec)
    c, a = pair(spec, lst)
    a.shutdown(socket.SHUT_WR)
    return lst, c, a

def st_close_wait(spec):
    lst, c, a = half_closed(spec)
    return [Entry(spec, 'target', 'CLOSE_WAIT', c),
            Entry(spec, 'peer', 'FIN_WAIT_2', a), lst]

def st_fin_wait_2(spec):
    lst, c, a = half_closed(spec)
    return [Entry(spec, 'target', 'FIN_WAIT_2', a),
            Entry(spec, 'peer', 'CLOSE_WAIT', c), lst]

def st_fin_wait_1(spec):
    lst = listener(spec, rcvbuf=SMALL_RCVBUF)  # server never reads
    c, a = pair(spec, lst)
    fill(c, a)
    c.shutdown(socket.SHUT_WR)  # FIN stuck behind the unsent data
    return [Entry(spec, 'target', 'FIN_WAIT_1', c),
            Entry(spec, 'peer', 'ESTABLISHED', a), lst]

def st_orphan(spec):
    lst = listener(spec, rcvbuf=SMALL_RCVBUF)  # server never reads
    c, a = pair(spec, lst)
    fill(c, a)
    tup = c.getsockname()[:2] + c.getpeername()[:2]
    c.close()  # orphaned: FIN_WAIT_1, its FIN behind the unsent data
    return [Entry(spec, 'target', 'FIN_WAIT_1', tup=tup),
            Entry(spec, 'peer', 'ESTABLISHED', a), lst]

def st_last_ack(spec):
    lst = listener(spec)
    c, a = pair(spec, lst, client_rcvbuf=SMALL_RCVBUF)  # client never reads
    c.shutdown(socket.SHUT_WR)
    wait_state(a, 'CLOSE_WAIT', 'server')
    fill(a, c)
    a.shutdown(socket.SHUT_WR)  # CLOSE_WAIT -> LAST_ACK, FIN never sent
    return [Entry(spec, 'target', 'LAST_ACK', a),
            Entry(spec, 'peer', 'FIN_WAIT_2', c), lst]

def st_closing(spec):
    lst = listener(spec, rcvbuf=SMALL_RCVBUF)  # server never reads
    c, a = pair(spec, lst)
    fill(c, a)
    c.shutdown(socket.SHUT_WR)  # client FIN_WAIT_1, its FIN unsent
    a.shutdown(socket.SHUT_WR)  # server's FIN gets in: simultaneous close
    return [Entry(spec, 'target', 'CLOSING', c),
            Entry(spec, 'peer', 'FIN_WAIT_2', a), lst]

def st_time_wait(spec):
    lst = listener(spec)
    c, a = pair(spec, lst)
    tup = c.getsockname()[:2] + c.getpeername()[:2]
    c.close()  # the side that closes first ends in TIME_WAIT (for 60 s)
    wait_state(a, 'CLOSE_WAIT', 'server')
    a.close()
    return [Entry(spec, 'target', 'TIME_WAIT', tup=tup), lst]

def syn_pair(spec):
    """Client SYN_SENT plus the listener's request socket SYN_RCVD, made by
    dropping the SYN-ACKs of exactly this connection (the listener still
    completes fresh connections)."""
    lst = listener(spec)
    c = new_socket(spec, spec.cfam)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 127)  # retry for hours
    c.setblocking(False)
    c.bind(('', 0))  # learn the client port before the SYN leaves
    lport, cport = lst.tup[1], c.getsockname()[1]
    DROP.add(lport, cport)
    err = c.connect_ex((spec.caddr, lport))
    if err != errno.EINPROGRESS:
        raise Fail(f'connect: {os.strerror(err)}')
    client = Entry(spec, None, 'SYN_SENT', c,
                   c.getsockname()[:2] + (spec.caddr, lport))
    # The request socket has no fd; verify() takes its addresses from ss.
    req = Entry(spec, None, 'SYN_RCVD', tup=(None, lport, None, cport))
    return lst, client, req

def st_syn_sent(spec):
    lst, client, req = syn_pair(spec)
    client.role, req.role = 'target', 'peer'
    return [client, req, lst]

def st_syn_rcvd(spec):
    lst, client, req = syn_pair(spec)
    client.role, req.role = 'peer', 'target'
    return [req, client, lst]

def st_listen(spec):
    lst = listener(spec)
    lst.role = 'target'  # the listener is what the test drops
    return [lst]

def st_mptcp(spec):
    sysctl('/proc/sys/net/mptcp/enabled', '1')
    lst = listener(spec)
    c, a = pair(spec, lst)
    sport = c.getsockname()[1]

    def subflow_is_mptcp():  # i.e. no silent fallback to plain TCP
        out = subprocess.run(['ss', '-tniH', f'sport = :{sport}'],
                             capture_output=True, text=True).stdout
        return 'tcp-ulp-mptcp' in out
    wait(subflow_is_mptcp, 'an MPTCP subflow (tcp-ulp-mptcp in ss -tni)')
    return [Entry(spec, 'target', 'ESTABLISHED', c),
            Entry(spec, 'peer', 'ESTABLISHED', a), lst]


def st_port0(spec):
    """A connection whose peer sends from port 0: no socket API client can."""
    import rawpeer
    lst = listener(spec)
    a, tup = rawpeer.connect_from_port0(lst.sock, spec.lfam)
    a.setblocking(False)
    CLEANUPS.append(rawpeer.cleanup)
    return [Entry(spec, 'target', 'ESTABLISHED', a, tup), lst]


CLEANUPS = []

BUILDERS = {'PORT0': st_port0, 'ESTABLISHED': st_established, 'CLOSE_WAIT': st_close_wait,
            'FIN_WAIT_1': st_fin_wait_1, 'FIN_WAIT_2': st_fin_wait_2,
            'CLOSING': st_closing, 'LAST_ACK': st_last_ack,
            'TIME_WAIT': st_time_wait, 'SYN_SENT': st_syn_sent,
            'SYN_RCVD': st_syn_rcvd, 'LISTEN': st_listen, 'MPTCP': st_mptcp,
            'ORPHAN': st_orphan}

# ------------------------------------------------------ verification, report

def verify(entries):
    """Wait until every socket shows its wanted state; take the addresses of
    fd-less sockets exactly as ss reports them."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        rows, bad = ss_rows(), []
        for e in entries:
            if e.sock is not None:
                e.state = tcp_state(e.sock)
            else:
                r = ss_find(rows, e.tup[1], e.tup[3], e.want)
                e.state, e.tup = (r[0], r[1:]) if r else ('missing', e.tup)
            if e.state != e.want:
                bad.append(e)
        if not bad:
            return
        if time.monotonic() > deadline:
            e = bad[0]
            raise Fail(f'spec {e.spec.index} ({e.spec.text}): {e.role} '
                       f'port {e.tup[1]} is {e.state}, not {e.want} '
                       f'after {TIMEOUT:g}s')
        time.sleep(0.02)

def probe_listener(e):
    """True if a fresh connect()+accept() works within 2 s."""
    addr = '127.0.0.1' if e.spec.family.startswith('mapped') else e.spec.caddr
    c = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
    # close with RST: leaves no TIME_WAIT sockets behind to confuse tests
    linger = struct.pack('ii', 1, 0)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    deadline = time.monotonic() + 2
    try:
        c.settimeout(2)
        c.connect((addr, e.tup[1]))
        e.sock.settimeout(max(0.01, deadline - time.monotonic()))
        a, _ = e.sock.accept()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        a.close()
        return True
    except OSError:  # refused, timed out, or the listener is gone
        return False
    finally:
        c.close()
        e.sock.setblocking(False)

def result(e):
    if e.listener:
        return 'accepts' if probe_listener(e) else 'refuses'
    if e.seen:  # reading SO_ERROR clears it: remember the first error
        return e.seen
    err = e.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if not err:
        try:
            data = e.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            return 'ok' if data else 'eof'
        except BlockingIOError:
            return 'ok'
        except OSError as x:
            err = x.errno
    e.seen = errno.errorcode.get(err, str(err))
    return e.seen

def write_atomic(path, lines):
    tmp = f'{path}.tmp.{os.getpid()}'
    with open(tmp, 'w') as f:
        f.write(''.join(line + '\n' for line in lines))
    os.rename(tmp, path)

def main(argv):
    if len(argv) < 3 or argv[0] != '--out':
        print(__doc__, file=sys.stderr)
        return 2
    out, texts = argv[1], argv[2:]
    # SIGUSR1 must not kill us if it comes early; it waits for sigwait()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    subprocess.run(['ip', 'link', 'set', 'lo', 'up'], capture_output=True)
    entries = []
    try:
        for spec in [Spec(i, t) for i, t in enumerate(texts)]:
            try:
                entries += BUILDERS[spec.name](spec)
            except (OSError, Fail) as x:
                raise Fail(f'spec {spec.index} ({spec.text}): {x}')
        verify(entries)
        order = {'target': 0, 'peer': 1, 'listener': 2}
        entries.sort(key=lambda e: (e.spec.index, order[e.role]))
        sigs = {signal.SIGUSR1, signal.SIGTERM, signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)  # only via sigwait now
        write_atomic(os.path.join(out, 'sockets'),
                     ['%d %s %s %s %s %s %s' % ((e.spec.index, e.role, e.state)
                                                + e.tup) for e in entries])
        while signal.sigwait(sigs) == signal.SIGUSR1:
            write_atomic(os.path.join(out, 'report'),
                         ['%d %s %s %s %s %s %s %s' % (
                             (e.spec.index, e.role) + e.tup
                             + (result(e), tcp_state(e.sock)))
                          for e in entries if e.sock])
        return 0
    except Fail as x:
        print(f'conns.py: {x}', file=sys.stderr)
        return 1
    finally:
        for e in entries:
            if e.sock:
                e.sock.close()
        DROP.cleanup()
        for cleanup in CLEANUPS:
            cleanup()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
