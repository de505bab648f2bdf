#!/usr/bin/env python3
"""Test helper: does a fresh connection to ADDRESS PORT complete its handshake?

Usage:  connect.py ADDRESS PORT [SOURCE]
Connects from address SOURCE if given (tests/lib/churn.py never closes or
resets a connection from an address other than its own).  Exits 0 if the
handshake completes within 3 seconds and the connection still stands when
it asks for its peer, 1 if it is refused, times out or is reset.
"""
import socket
import sys


def main(argv):
    source = (argv[2], 0) if len(argv) > 2 else None
    try:
        with socket.create_connection((argv[0], int(argv[1])), timeout=3,
                                      source_address=source) as s:
            s.getpeername()
    except OSError as x:
        print(f'connect.py: {argv[0]} port {argv[1]}: {x.strerror or x}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
