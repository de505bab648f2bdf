#!/usr/bin/env python3
"""Test helper: does a fresh connection to ADDRESS PORT complete its handshake?

Usage:  connect.py ADDRESS PORT
Exits 0 if it does within 3 seconds, 1 if it is refused or times out.
"""
import socket
import sys


def main(argv):
    try:
        with socket.create_connection((argv[0], int(argv[1])), timeout=3) as s:
            s.getpeername()
    except OSError as x:
        print(f'connect.py: {argv[0]} port {argv[1]}: {x.strerror or x}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
