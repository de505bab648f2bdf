#!/usr/bin/env python3
"""Churn for tcpdrop's tests: connections that come and go, thousands a
second, on listeners on 127.0.0.1 and ::1, while tcpdrop drops them.

Usage:  churn.py --seconds N --out DIR [--pool K]

Run it ONLY inside a private network namespace of the test's own: it
refuses unless the environment variable TCPDROP_TEST_NETNS equals the link
of /proc/self/ns/net (what `readlink /proc/self/ns/net` prints in there).

It listens on 127.0.0.1 and on ::1 (IPV6_V6ONLY) and then, until N seconds
have passed or SIGTERM/SIGINT comes, connects to them over and over,
alternating the two, and accepts what arrives.  Each client is one of
  short   closed at once (its end goes through FIN_WAIT to TIME_WAIT)
  abort   closed at once with SO_LINGER 0 (a reset, no TIME_WAIT)
  pool    kept in a pool of K long-lived connections; the oldest is
          replaced about K times a second (so each lives about a second),
          and one found dead (reset, dropped, closed by its server) is
          replaced at once
and each accepted socket, independently, is one of
  keep    kept until its client closes it or it dies, then closed
  close   closed at once (the server closes first)
  abort   closed at once with SO_LINGER 0 (the client gets a reset)
The churn's clients connect from the listeners' own addresses (the source
the kernel picks for 127.0.0.1 and ::1).  A connection from any other
address is a stranger's, a test asking whether the listeners still accept:
it is always kept until its client closes it, never closed first or reset,
so that whether it was made does not depend on the churn's turn.

Sockets dropped under it are expected: the error any call then gets
(ECONNABORTED, ECONNRESET, EPIPE, ENOTCONN, ...) is counted, the socket is
closed and the connection replaced.  It never gives up because of one.

Once the listeners are up and the pool is full it writes DIR/ready
atomically: "v4 PORT", "v6 PORT" (one port number for both) and "pid PID".
On exit it writes DIR/stats atomically, "NAME COUNT" per line:
  connections   clients whose connect() succeeded
  accepted      sockets accept() returned
  strangers     of those, connections from another address than the churn's
  pool_dead     pool clients found dead and replaced
  eof           sockets that saw their peer close normally
  seconds       how long it churned (a decimal)
  ENAME         how many times a call failed with errno ENAME; a connect()
                that timed out counts as "timeout"
Exit status: 0 after a bounded run (also on SIGTERM/SIGINT), 1 if it could
not start, 2 on a usage error.  A hard alarm ends it N+10 seconds after it
starts whatever happens.
"""
import collections
import errno
import os
import select
import signal
import socket
import struct
import sys
import time

ADDRESSES = {socket.AF_INET: '127.0.0.1', socket.AF_INET6: '::1'}
BACKLOG = 4096
CONNECT_TIMEOUT = 1.0
ACCEPT_MOST = 64          # accepts per turn of the loop, per listener
LINGER_ZERO = struct.pack('ii', 1, 0)
POLL_DEAD = select.POLLIN | select.POLLERR | select.POLLHUP | select.POLLRDHUP
# What a client does, in turn (a pool client only while the pool wants one).
CLIENT_KINDS = ('short', 'abort', 'abort', 'short', 'abort')
# What the server does with each accepted socket, in turn.
SERVER_KINDS = ('keep', 'keep', 'close', 'keep', 'abort', 'keep', 'keep', 'close',
                'keep', 'abort')


class Fail(Exception):
    pass


class Churn:
    def __init__(self, pool_size):
        self.pool_size = pool_size
        self.stats = collections.Counter()
        self.listeners = {}          # family -> listening socket
        self.port = 0
        self.pool = collections.deque()  # client sockets, oldest first
        self.kept = {}               # fd -> socket: pool clients and kept servers
        self.poller = select.poll()
        self.client_turn = 0
        self.server_turn = 0
        self.family_turn = 0
        self.last_replacement = time.monotonic()
        self.stop = False

    # ------------------------------------------------------------ helpers

    def note(self, error):
        """Count a failed call by its errno name."""
        if isinstance(error, TimeoutError) and error.errno is None:
            name = 'timeout'
        else:
            name = errno.errorcode.get(error.errno, str(error.errno))
        self.stats[name] += 1

    def close(self, sock, abort=False):
        fd = sock.fileno()
        if fd in self.kept:
            del self.kept[fd]
            self.poller.unregister(fd)
        if abort:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_ZERO)
            except OSError as x:
                self.note(x)
        try:
            sock.close()
        except OSError as x:
            self.note(x)

    def keep(self, sock):
        self.kept[sock.fileno()] = sock
        self.poller.register(sock.fileno(), POLL_DEAD)

    def listen(self):
        port = 0
        for family in (socket.AF_INET, socket.AF_INET6):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind((ADDRESSES[family], port))
            except OSError as x:
                raise Fail(f'cannot bind {ADDRESSES[family]} port {port}: {x.strerror}')
            sock.listen(BACKLOG)
            sock.setblocking(False)
            port = sock.getsockname()[1]
            self.listeners[family] = sock
            self.poller.register(sock.fileno(), select.POLLIN)
        self.port = port

    # ------------------------------------------------------------ the churn

    def connect(self):
        """Open one client, alternating families, and do what its kind says."""
        family = (socket.AF_INET, socket.AF_INET6)[self.family_turn % 2]
        self.family_turn += 1
        now = time.monotonic()
        if len(self.pool) < self.pool_size:
            kind = 'pool'
        elif now - self.last_replacement >= 1.0 / self.pool_size:
            kind = 'pool'
            self.last_replacement = now
            # The oldest makes room: half the time with a reset.
            self.close(self.pool.popleft(), abort=self.client_turn % 2 == 0)
        else:
            kind = CLIENT_KINDS[self.client_turn % len(CLIENT_KINDS)]
        self.client_turn += 1
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(CONNECT_TIMEOUT)
        try:
            sock.connect((ADDRESSES[family], self.port))
        except OSError as x:
            self.note(x)
            self.close(sock, abort=True)
            if x.errno == errno.EADDRNOTAVAIL:  # out of ports: let TIME_WAIT age
                time.sleep(0.001)
            return
        self.stats['connections'] += 1
        if kind == 'pool':
            sock.setblocking(False)
            self.pool.append(sock)
            self.keep(sock)
        else:
            self.close(sock, abort=kind == 'abort')

    def accept(self, listener):
        for _ in range(ACCEPT_MOST):
            try:
                sock, peer = listener.accept()
            except BlockingIOError:
                return
            except OSError as x:   # ECONNABORTED: dropped in the queue
                self.note(x)
                continue
            self.stats['accepted'] += 1
            if peer[0] != ADDRESSES[listener.family]:
                self.stats['strangers'] += 1
                sock.setblocking(False)
                self.keep(sock)
                continue
            kind = SERVER_KINDS[self.server_turn % len(SERVER_KINDS)]
            self.server_turn += 1
            if kind == 'keep':
                sock.setblocking(False)
                self.keep(sock)
            else:
                self.close(sock, abort=kind == 'abort')

    def dead(self, fd):
        """A kept socket is readable or in error: its peer closed or it died."""
        sock = self.kept[fd]
        try:
            data = sock.recv(4096)
            if data:            # nobody sends anything: not dead after all
                return
            self.stats['eof'] += 1
        except BlockingIOError:
            return
        except OSError as x:
            self.note(x)
        if sock in self.pool:
            self.pool.remove(sock)
            self.stats['pool_dead'] += 1
        self.close(sock)

    def turn(self, wait_ms=0):
        for fd, _ in self.poller.poll(wait_ms):
            for listener in self.listeners.values():
                if fd == listener.fileno():
                    self.accept(listener)
                    break
            else:
                if fd in self.kept:
                    self.dead(fd)

    def run(self, seconds, out):
        start = time.monotonic()
        deadline = start + seconds
        self.listen()
        # Fill the pool before telling anyone we are ready.
        while len(self.pool) < self.pool_size and time.monotonic() < deadline and not self.stop:
            self.connect()
            self.turn()
        write_atomic(os.path.join(out, 'ready'),
                     [f'v4 {self.port}', f'v6 {self.port}', f'pid {os.getpid()}'])
        while time.monotonic() < deadline and not self.stop:
            self.connect()
            self.turn()
        self.stats['seconds'] = round(time.monotonic() - start, 3)

    def shut(self):
        for sock in list(self.kept.values()) + list(self.listeners.values()):
            self.close(sock, abort=True)


def write_atomic(path, lines):
    temporary = path + '.tmp'
    with open(temporary, 'w') as f:
        f.write(''.join(line + '\n' for line in lines))
    os.rename(temporary, path)


def usage():
    print(__doc__, file=sys.stderr)
    return 2


def main(argv):
    seconds, out, pool = None, None, 256
    args = list(argv)
    while args:
        option = args.pop(0)
        if not args:
            return usage()
        value = args.pop(0)
        try:
            if option == '--seconds':
                seconds = float(value)
            elif option == '--out':
                out = value
            elif option == '--pool':
                pool = int(value)
            else:
                return usage()
        except ValueError:
            return usage()
    if seconds is None or out is None or not 0 < seconds <= 600 or not 0 < pool <= 4096:
        return usage()
    here = os.readlink('/proc/self/ns/net')
    if os.environ.get('TCPDROP_TEST_NETNS') != here:
        print(f'churn.py: refusing to run: TCPDROP_TEST_NETNS is not this network '
              f'namespace ({here})', file=sys.stderr)
        return 1
    signal.alarm(int(seconds) + 10)   # the default action ends the process
    churn = Churn(pool)

    def stop(signum, frame):
        churn.stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        churn.run(seconds, out)
    except Fail as x:
        print(f'churn.py: {x}', file=sys.stderr)
        return 1
    finally:
        churn.shut()
        write_atomic(os.path.join(out, 'stats'),
                     [f'{name} {count}' for name, count in sorted(churn.stats.items())])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
