#!/usr/bin/env python3
"""Test helper: the most memory a command held while it read a feed.

Usage:  peak.py FEED COMMAND [ARG ...]

Runs the shell command FEED with its output piped into COMMAND's standard
input, waits for both, and prints the most memory COMMAND held (its peak
resident set, in KiB), its exit status, its standard output, a line "--",
and its standard error.
"""
import resource
import subprocess
import sys


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with subprocess.Popen(['sh', '-c', argv[0]], stdout=subprocess.PIPE) as feed:
        done = subprocess.run(argv[1:], stdin=feed.stdout, capture_output=True, text=True)
        feed.stdout.close()
    # The feed is a child too, but a shell and head stay far below the command.
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(done.returncode)
    sys.stdout.write(done.stdout + '--\n' + done.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
