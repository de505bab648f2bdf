#!/usr/bin/env python3
"""make bench: tcpdrop against ss -K and the kernel's floor, side by side.

Runs in a network namespace of its own (it re-executes itself under
`unshare -n` and refuses to run in the host's).  For each size N it opens N
established loopback pairs, spread over processes of at most 9000 pairs
since a process may hold only 20000 descriptors, and measures on a fresh set
each: `tcpdrop -a`, `ss -K state established`, and the floor (bench/floor:
one dump, then destroy requests packed many per system call).  It also
times one connection dropped by its tuple among N, `tcpdrop -l -a | sh`
against `tcpdrop -l -a | tcpdrop -f -`, and selections among N pairs: 1,000
connections dropped by a port pattern and by a prefix pattern against
`ss -K` with the same filter, and `tcpdrop -l -I` and `-l -u` (each one
walk, counted with strace) beside listing with ss.

Usage: bench.py [--sizes 10000,50000,200000] [--tuple-sizes 1000,...]
                [--file-sizes 1000,10000] [--select-sizes 200000]
An empty list (--sizes '') skips those rows.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
TCPDROP = os.path.join(TOP, 'tcpdrop')
FLOOR = os.path.join(HERE, 'floor')
PER_PROCESS = 9000
MARK = 'TCPDROP_BENCH_NETNS'


def netns():
    return os.readlink('/proc/self/ns/net')


def enter_own_netns():
    """Re-execute under unshare -n once; refuse to run in the host's namespace."""
    if os.environ.get(MARK) is None:
        # Remember the namespace we started in, to be sure we left it.
        env = dict(os.environ, **{MARK: netns()})
        os.execvpe('unshare', ['unshare', '-n', '--', sys.executable, *sys.argv], env)
    if netns() == os.environ[MARK]:
        sys.exit('bench: refusing to run in the network namespace it was started in')
    subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
    with open('/proc/sys/net/ipv4/ip_local_port_range', 'w') as f:
        f.write('1024 65000')


class Pairs:
    """N established loopback pairs, held by helper processes until closed."""

    def __init__(self, count, where=(), alone=True):
        """where: the listeners' address and port (pairs.py); alone: no
        other pairs may be open (else these join those already there)."""
        self.count, self.holders, self.samples = count, [], []
        if alone and sockets():
            sys.exit(f'bench: {sockets()} sockets left from before')
        left = count
        while left > 0:
            size = min(PER_PROCESS, left)
            self.holders.append(subprocess.Popen(
                [sys.executable, os.path.join(HERE, 'pairs.py'), str(size), *where],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
            left -= size
        for holder in self.holders:
            for line in holder.stdout:
                if line.startswith('pair '):
                    self.samples.append(line.split()[1:])
                elif line.strip() == 'ready':
                    break
            else:
                sys.exit('bench: a pair holder died')

    def close(self):
        for holder in self.holders:
            holder.stdin.close()
        for holder in self.holders:
            holder.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def timed(command, shell=False, worst=1):
    """Wall time in seconds and peak RSS in KiB of one command, which must
    exit with at most the status worst.

    GNU time forks the command from its own small process: a child forked
    from this Python process would count Python's pages as its own peak.
    """
    if shell:
        command = ['sh', '-c', command]
    report = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'tcpdrop-bench-{os.getpid()}')
    start = time.perf_counter()
    status = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', report, *command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    with open(report) as f:
        peak = int(f.read().split()[-1])
    os.unlink(report)
    if status > worst:
        sys.exit(f'bench: {command} exited {status}')
    return elapsed, peak


def quick(command):
    """Wall time in seconds of one command, spawned as cheaply as Python can."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def established():
    out = subprocess.run(['ss', '-Htn', 'state', 'established'], capture_output=True,
                         text=True, check=True).stdout
    return len(out.splitlines())


def sockets():
    """Every TCP socket of the namespace but the listeners."""
    out = subprocess.run(['ss', '-Htan', 'exclude', 'listening'], capture_output=True,
                         text=True, check=True).stdout
    return len(out.splitlines())


def check_all_gone(what):
    left = established()
    if left:
        sys.exit(f'bench: {left} connections left after {what}')


def bulk(n):
    """tcpdrop -a, ss -K and the floor, each on a fresh set of n pairs."""
    row = {'n': n}
    for name, command in (('tcpdrop', [TCPDROP, '-a']),
                          ('ss', ['ss', '-K', '-t', 'state', 'established']),
                          ('floor', [FLOOR])):
        with Pairs(n):
            assert established() == 2 * n
            row[name], row[name + '_rss'] = timed(command)
            check_all_gone(name)
    return row


def tuple_drop(n, repeat=9):
    """One connection by its tuple among n pairs: tcpdrop, and ss -K with an exact filter."""
    with Pairs(n) as pairs:
        samples = pairs.samples[:2 * repeat]
        ours, theirs = [], []
        for i, (la, lp, fa, fp) in enumerate(samples):
            if i % 2 == 0:
                ours.append(quick([TCPDROP, la, lp, fa, fp]))
            else:
                theirs.append(quick(['ss', '-K', '-t', 'src', f'{la}:{lp}',
                                     'dst', f'{fa}:{fp}']))
        left = established()
        if left != 2 * n - 2 * len(samples):
            sys.exit(f'bench: tuple drops left {left} of {2 * n} sockets')
    return {'n': n, 'tcpdrop': statistics.median(ours), 'ss': statistics.median(theirs),
            'spawn': statistics.median(quick(['/bin/true']) for _ in range(repeat))}


def file_drop(n, repeat=3):
    """The page's `tcpdrop -l -a | sh` (once: it is slow) against
    `tcpdrop -l -a | tcpdrop -f -` (median of three, each on a fresh set)."""
    env_path = os.path.dirname(TCPDROP) + ':' + os.environ['PATH']
    times = {'sh': [], 'file': []}
    for name, command, runs in (('sh', f'{TCPDROP} -l -a | sh', 1),
                                ('file', f'{TCPDROP} -l -a | {TCPDROP} -f -', repeat)):
        for _ in range(runs):
            with Pairs(n):
                times[name].append(timed(f'PATH={env_path}; {command}', shell=True)[0])
                check_all_gone(name)
    return {'n': n, 'sh': times['sh'][0], 'file': statistics.median(times['file'])}


# The selection rows' 1,000 pairs listen on an address and port of their
# own: the port lies above the ephemeral range enter_own_netns() sets, so no
# other socket has a local port in SELECT_PORTS, and no other socket has an
# address in SELECT_PREFIX.
SELECTED = 1000
SELECT_ADDRESS, SELECT_PORT = '127.0.1.1', 65100
SELECT_PORTS, SELECT_LOW, SELECT_HIGH = '65001-65535', 65001, 65535
SELECT_PREFIX = '127.0.1.0/24'
# What the rows drop: a name, tcpdrop's operands, ss's filter, and which
# end of each of the 1,000 pairs that is (the kernel resets the other end).
SELECTIONS = (
    ('port', ['*', SELECT_PORTS, '*', '*'],
     f'( sport >= :{SELECT_LOW} and sport <= :{SELECT_HIGH} )', 'server ends'),
    ('prefix', ['*', '*', SELECT_PREFIX, '*'], f'dst {SELECT_PREFIX}', 'client ends'),
)


def selected_pairs():
    return Pairs(SELECTED, (SELECT_ADDRESS, str(SELECT_PORT)), alone=False)


def selected_left():
    out = subprocess.run(['ss', '-Htn', f'( src {SELECT_ADDRESS} or dst {SELECT_ADDRESS} )'],
                         capture_output=True, text=True, check=True).stdout
    return len(out.splitlines())


def check_selection_gone(what, others):
    """Both ends of the 1,000 pairs gone (the kernel resets the second end
    as it destroys the first: allow it a moment), every other pair there."""
    for _ in range(50):
        left = selected_left()
        if not left:
            break
        time.sleep(0.02)
    else:
        sys.exit(f'bench: {left} of the selected sockets left after {what}')
    if established() != others:
        sys.exit(f'bench: {established()} of {others} other sockets left after {what}')


def check_selection_left(what, others):
    """What a command of the selection rows should have left: all of the
    pairs after listing, none of them after dropping."""
    if what != 'walk':
        check_selection_gone(what, others)
    elif selected_left() != 2 * SELECTED or established() != others + 2 * SELECTED:
        sys.exit(f'bench: listing the selection dropped some of it')


def walks(command):
    """Run once under strace: the dump requests sent (walks of the
    kernel's tables) and the lines printed.  None for walks without strace."""
    trace = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'tcpdrop-bench-strace-{os.getpid()}')
    try:
        run = subprocess.run(['strace', '-f', '-qq', '-e', 'trace=sendto,sendmsg', '-o', trace,
                              *command], capture_output=True, text=True)
    except FileNotFoundError:
        run = subprocess.run(command, capture_output=True, text=True)
        dumps = None
    else:
        with open(trace) as f:
            # Only the header of a request counts: strace reads the bytecode
            # that follows ss's as one more header, with NLM_F_DUMP among its bits.
            dumps = len(re.findall(r'nlmsg_type=(?:TCPDIAG_GETSOCK|SOCK_DIAG_BY_FAMILY),'
                                   r' nlmsg_flags=NLM_F_REQUEST\|NLM_F_DUMP\b', f.read()))
        os.unlink(trace)
    if run.returncode != 0:
        sys.exit(f'bench: {command} exited {run.returncode}: {run.stderr.strip()}')
    return dumps, len(run.stdout.splitlines())


def selection(n, repeat=5):
    """A selection of 1,000 connections among n pairs, dropped by tcpdrop
    with an operand pattern and by ss -K with the same filter; then -I and
    -u listed over the same n pairs, against listing with ss.  The n-1,000
    other pairs are made once; each drop has 1,000 fresh pairs of its own."""
    drops, listings = [], []
    with Pairs(n - SELECTED):
        others = established()
        assert others == 2 * (n - SELECTED)
        for selected, operands, ss_filter, _ in SELECTIONS:
            # ss -K -4 walks once, as tcpdrop does, but only IPv4: beside
            # them, it shows what one walk of the kernel's tables costs.
            # tcpdrop -l walks once with the same filter and destroys
            # nothing: no tool that walks the kernel's tables is faster.
            commands = {'tcpdrop': [TCPDROP, *operands],
                        'ss': ['ss', '-K', '-t', 'state', 'established', ss_filter],
                        'ss4': ['ss', '-K', '-4', '-t', 'state', 'established', ss_filter],
                        'walk': [TCPDROP, '-l', *operands]}
            row = {'name': selected}
            times = {name: [] for name in commands}
            for _ in range(repeat):
                for name, command in commands.items():
                    with selected_pairs():
                        assert selected_left() == 2 * SELECTED
                        times[name].append(timed(command, worst=0)[0])
                        check_selection_left(name, others)
            for name, command in commands.items():
                with selected_pairs():
                    row[name + '_walks'], listed = walks(command)
                    if name == 'walk' and listed != SELECTED:
                        sys.exit(f'bench: {command} listed {listed} connections, not {SELECTED}')
                    check_selection_left(name, others)
                row[name] = statistics.median(times[name])
            drops.append(row)
        with selected_pairs():
            uid = str(os.getuid())
            commands = (('tcpdrop -l -I 3600', [TCPDROP, '-l', '-I', '3600'], 0),
                        (f'tcpdrop -l -u {uid}', [TCPDROP, '-l', '-u', uid], 2 * n),
                        ('tcpdrop -l -a', [TCPDROP, '-l', '-a'], 2 * n),
                        ('ss -Htn state established',
                         ['ss', '-Htn', 'state', 'established'], 2 * n))
            times = {name: [] for name, _, _ in commands}
            for _ in range(repeat):
                for name, command, _ in commands:
                    times[name].append(timed(command, worst=0)[0])
            for name, command, expected in commands:
                count, listed = walks(command)
                if listed != expected:
                    sys.exit(f'bench: {name} listed {listed} connections, not {expected}')
                listings.append({'command': name, 'walks': count, 'listed': listed,
                                 'time': statistics.median(times[name])})
    return drops, listings


def sizes(text):
    return [int(size) for size in text.split(',') if size]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=sizes, default=sizes('10000,50000,200000'))
    parser.add_argument('--tuple-sizes', type=sizes, default=sizes('1000,50000,200000'))
    parser.add_argument('--file-sizes', type=sizes, default=sizes('1000,10000'))
    parser.add_argument('--select-sizes', type=sizes, default=sizes('200000'))
    arguments = parser.parse_args()
    for n in arguments.select_sizes:
        if n < 2 * SELECTED:
            parser.error(f'--select-sizes: at least {2 * SELECTED} pairs')
    enter_own_netns()
    cpu = subprocess.run(['sh', '-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    print(f'# tcpdrop benchmark: {os.uname().release}, {os.cpu_count()} cores, {cpu}')
    print('# every time is wall-clock seconds for one run on a fresh set of pairs')

    print('\n## Dropping every established connection (N pairs = 2N sockets)')
    print(f'{"N":>8} {"tcpdrop -a":>11} {"ss -K":>9} {"floor":>9} {"ss/tcpdrop":>11}'
          f' {"tcpdrop/floor":>14} {"tcpdrop RSS":>12}')
    for n in arguments.sizes:
        r = bulk(n)
        print(f'{n:>8} {r["tcpdrop"]:>11.3f} {r["ss"]:>9.3f} {r["floor"]:>9.3f}'
              f' {r["ss"] / r["tcpdrop"]:>10.2f}x {r["tcpdrop"] / r["floor"]:>13.2f}x'
              f' {r["tcpdrop_rss"] / 1024:>8.1f} MiB', flush=True)

    print('\n## Dropping one connection by its tuple among N pairs (median of 9;'
          ' both times include starting a process, shown alone as /bin/true)')
    print(f'{"N":>8} {"tcpdrop":>11} {"ss -K exact":>12} {"ss/tcpdrop":>11} {"/bin/true":>10}')
    for n in arguments.tuple_sizes:
        r = tuple_drop(n)
        print(f'{n:>8} {r["tcpdrop"] * 1000:>9.2f}ms {r["ss"] * 1000:>10.2f}ms'
              f' {r["ss"] / r["tcpdrop"]:>10.1f}x {r["spawn"] * 1000:>8.2f}ms', flush=True)

    print('\n## A list of connections: tcpdrop -l -a | sh  against  | tcpdrop -f -'
          ' (median of 3)')
    print(f'{"N":>8} {"| sh":>10} {"| tcpdrop -f -":>15} {"ratio":>8}')
    for n in arguments.file_sizes:
        r = file_drop(n)
        print(f'{n:>8} {r["sh"]:>9.3f}s {r["file"]:>14.3f}s {r["sh"] / r["file"]:>7.0f}x',
              flush=True)

    if arguments.select_sizes:
        print(f'\n## Dropping a selection of {SELECTED:,} connections among N pairs (median of 5;'
              f' each run has\n## {SELECTED:,} fresh pairs on {SELECT_ADDRESS} port {SELECT_PORT}'
              f' beside the same N-{SELECTED:,}: one end of each\n## matches, the kernel resets'
              ' the other; ss -K [-4] -t state established FILTER; -4 leaves\n## out IPv6;'
              ' walks: dump requests sent by tcpdrop / ss -K / ss -K -4, counted with strace)')
        for name, operands, ss_filter, side in SELECTIONS:
            shown = ' '.join(f"'{o}'" if o == '*' else o for o in operands)
            print(f'##   {name + ":":<7} tcpdrop {shown}, FILTER \'{ss_filter}\' ({side})')
        print('## one walk: tcpdrop -l with the same operands, which walks once and destroys'
              ' nothing;\n## ss/walk: about the most that any tool walking the kernel\'s tables'
              ' once could gain on ss -K')
        print(f'{"N":>8}  {"selection":<9} {"tcpdrop":>8} {"ss -K":>8} {"ss -K -4":>9}'
              f' {"one walk":>9} {"ss/tcpdrop":>11} {"ss/walk":>8} {"walks":>10}')
    listed = []
    for n in arguments.select_sizes:
        drops, listings = selection(n)
        for r in drops:
            print(f'{n:>8}  {r["name"]:<9} {r["tcpdrop"]:>8.3f} {r["ss"]:>8.3f}'
                  f' {r["ss4"]:>9.3f} {r["walk"]:>9.3f} {r["ss"] / r["tcpdrop"]:>10.2f}x'
                  f' {r["ss"] / r["walk"]:>7.2f}x'
                  f'  {r["tcpdrop_walks"]!s:>1} / {r["ss_walks"]!s:>1} / {r["ss4_walks"]!s:<1}',
                  flush=True)
        listed.append((n, listings))
    if listed:
        print('\n## Listing by -I or -u among the same N pairs (median of 5, output to /dev/null;'
              ' -I and -u\n## are checked in user space, so the kernel sends every connection;'
              ' the pairs are fresh, so\n## -I 3600 lists none; ss has no idle or user filter:'
              ' beside them, listing every connection)')
        print(f'{"N":>8}  {"command":<26} {"seconds":>8} {"listed":>8} {"walks":>6}')
        for n, listings in listed:
            for r in listings:
                print(f'{n:>8}  {r["command"]:<26} {r["time"]:>8.3f} {r["listed"]:>8}'
                      f' {r["walks"]!s:>6}', flush=True)

if __name__ == '__main__':
    main()
