#!/usr/bin/env python3
"""Test fixture for the first EXAMPLES command: a web server and its client.

Usage:  webhost.py serve ADDRESS PORT
        webhost.py visit ADDRESS PORT FROM-ADDRESS FROM-PORT

serve: listens on ADDRESS PORT, accepts one connection and holds it until
killed.  visit: connects from FROM-ADDRESS FROM-PORT (trying again while the
server is not up yet, for at most 5 seconds), then waits for the connection
to end and prints how: "eof", "data", or the error (a reset prints
"Connection reset by peer").  Run each in a network namespace the test made.
"""
import signal
import socket
import sys
import time


def serve(address, port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen()
    held, _ = listener.accept()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    held.close()


def visit(address, port, from_address, from_port):
    deadline = time.monotonic() + 5
    while True:
        client = socket.socket()
        try:
            client.bind((from_address, from_port))
            client.connect((address, port))
            break
        except OSError:
            client.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        print('eof' if client.recv(1) == b'' else 'data', flush=True)
    except OSError as x:
        print(x.strerror, flush=True)


def main(argv):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    if len(argv) == 3 and argv[0] == 'serve':
        serve(argv[1], int(argv[2]))
    elif len(argv) == 5 and argv[0] == 'visit':
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        visit(argv[1], int(argv[2]), argv[3], int(argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
