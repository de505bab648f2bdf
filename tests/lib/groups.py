#!/usr/bin/env python3
"""Test fixture for selections: groups of established loopback connections,
each group held by a process of its own, as a given user, in a given
cgroup, idle or busy.

Usage:  groups.py --out DIR GROUP [GROUP ...]
  GROUP = NAME:KEY=VALUE,...
    server=ADDR   the listener's address (default 127.0.0.1)
    port=N        the listener's port (required)
    client=ADDR   the clients' address (default: the server's)
    count=N       connections (default 1)
    uid=N         the group's process runs as this user (setresuid) before
                  it makes any socket
    cgroup=DIR    the group's process moves into this cgroup directory
                  (writes its pid to DIR/cgroup.procs) before any socket
    busy          the clients send without pause and the server reads, so
                  that no connection of the group is ever idle
When every group is ready, writes DIR/NAME for each group, atomically:
  pid PID
  LADDR LPORT FADDR FPORT     (one per socket: server side, then client)
then DIR/ready.  SIGTERM or SIGINT: every group ends.  Run it ONLY inside
a private network namespace.
"""
import os
import signal
import socket
import sys
import threading
import time


def parse(text):
    name, _, rest = text.partition(':')
    spec = {'server': '127.0.0.1', 'count': '1'}
    for item in filter(None, rest.split(',')):
        key, _, value = item.partition('=')
        spec[key] = value if value else True
    spec.setdefault('client', spec['server'])
    return name, spec


def endpoint(sock):
    address, port = sock.getsockname()[:2]
    return address, port


def tuple_line(sock):
    (la, lp), (fa, fp) = sock.getsockname()[:2], sock.getpeername()[:2]
    return f'{la} {lp} {fa} {fp}'


def family_of(address):
    return socket.AF_INET6 if ':' in address else socket.AF_INET


def pump(sock):
    chunk = b'x' * 512
    while True:
        try:
            sock.sendall(chunk)
        except OSError:
            return
        time.sleep(0.005)


def drain(sock):
    while True:
        try:
            if not sock.recv(65536):
                return
        except OSError:
            return


def group(spec, report):
    """The group's process: make its sockets, report them, hold them."""
    if 'cgroup' in spec:
        with open(os.path.join(spec['cgroup'], 'cgroup.procs'), 'w') as f:
            f.write(str(os.getpid()))
    if 'uid' in spec:
        uid = int(spec['uid'])
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    family = family_of(spec['server'])
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((spec['server'], int(spec['port'])))
    listener.listen(128)
    held = []
    for _ in range(int(spec['count'])):
        client = socket.socket(family, socket.SOCK_STREAM)
        client.bind((spec['client'], 0))
        client.connect((spec['server'], int(spec['port'])))
        server, _ = listener.accept()
        held.append((server, client))
    if spec.get('busy'):
        for server, client in held:
            threading.Thread(target=pump, args=(client,), daemon=True).start()
            threading.Thread(target=drain, args=(server,), daemon=True).start()
    lines = [f'pid {os.getpid()}']
    for server, client in held:
        lines += [tuple_line(server), tuple_line(client)]
    # The parent writes the files: this process may be a user who cannot.
    os.write(report, ('\n'.join(lines) + '\n').encode())
    os.close(report)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    os._exit(0)


def read_all(fd):
    data = b''
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return data.decode()
        data += chunk


def main(argv):
    out = argv[argv.index('--out') + 1]
    groups = [parse(a) for a in argv if ':' in a and a != out]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    children, reports = [], []
    for name, spec in groups:
        report_read, report_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(report_read)
            try:
                group(spec, report_write)
            except BaseException as x:
                print(f'groups.py: {name}: {x}', file=sys.stderr)
            os._exit(1)
        os.close(report_write)
        children.append(pid)
        reports.append(report_read)
    texts = [read_all(fd) for fd in reports]
    ok = all(texts)
    if ok:
        for (name, _), text in zip(groups, texts):
            path = os.path.join(out, name)
            with open(path + '.tmp', 'w') as f:
                f.write(text)
            os.rename(path + '.tmp', path)
        with open(os.path.join(out, 'ready'), 'w') as f:
            f.write('ready\n')
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    else:
        print('groups.py: a group failed', file=sys.stderr)
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in children:
        os.waitpid(pid, 0)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
