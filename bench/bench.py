#!/usr/bin/env python3
"""make bench: tcpdrop against ss -K and the kernel's floor, side by side.

Runs in a network namespace of its own (it re-executes itself under
`unshare -n` and refuses to run in the host's).  For each size N it opens N
established loopback pairs, spread over processes of at most 9000 pairs
since a process may hold only 20000 descriptors, and measures on a fresh set
each: `tcpdrop -a`, `ss -K state established`, and the floor (bench/floor:
one dump, then destroy requests packed many per system call).  It also
times one connection dropped by its tuple among N, and `tcpdrop -l -a | sh`
against `tcpdrop -l -a | tcpdrop -f -`.

Usage: bench.py [--sizes 10000,50000,200000] [--tuple-sizes 1000,...]
                [--file-sizes 1000,10000]
"""
import argparse
import os
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

    def __init__(self, count):
        self.count, self.holders, self.samples = count, [], []
        if sockets():
            sys.exit(f'bench: {sockets()} sockets left from before')
        left = count
        while left > 0:
            size = min(PER_PROCESS, left)
            self.holders.append(subprocess.Popen(
                [sys.executable, os.path.join(HERE, 'pairs.py'), str(size)],
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


def timed(command, shell=False):
    """Wall time in seconds and peak RSS in KiB of one command.

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
    if status > 1:
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


def sizes(text):
    return [int(size) for size in text.split(',') if size]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=sizes, default=sizes('10000,50000,200000'))
    parser.add_argument('--tuple-sizes', type=sizes, default=sizes('1000,50000,200000'))
    parser.add_argument('--file-sizes', type=sizes, default=sizes('1000,10000'))
    arguments = parser.parse_args()
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


if __name__ == '__main__':
    main()
