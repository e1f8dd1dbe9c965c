#!/usr/bin/env python3
"""Invalid and faulty traffic for bench/soak.sh: raw HTTP/1.1 over loopback sockets until a deadline.

Usage: soak-clients.py PORT SECONDS. Each thread cycles through the cases below; every response status is
tallied per case, and a case that gets no answer within 10 s counts as a hang. Prints one line per case and
exits 1 when any answer was a 500 or a hang.
"""
import collections
import socket
import sys
import threading
import time

PORT, SECONDS = int(sys.argv[1]), float(sys.argv[2])
HOST = "Host: soak\r\n"
CASES = {
    # name: (request bytes, statuses that are the safe answer)
    "malformed-chunking": (b"POST /fast/ HTTP/1.1\r\n" + HOST.encode() + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", {400}),
    "cl-and-te": (b"POST /fast/ HTTP/1.1\r\n" + HOST.encode() + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", {200}),
    "obs-fold": (b"GET /fast/ HTTP/1.1\r\n" + HOST.encode() + b"X-A: a\r\n folded\r\n\r\n", {400}),
    "oversized-headers": (b"GET /fast/ HTTP/1.1\r\n" + HOST.encode() + b"X-Big: " + b"b" * 9000 + b"\r\n\r\n", {400}),
    "huge-headers": (b"GET /fast/ HTTP/1.1\r\n" + HOST.encode() + b"X-Big: " + b"b" * 40000 + b"\r\n\r\n", {400}),
    "forbidden-x-fc": (b"GET /fast/ HTTP/1.1\r\n" + HOST.encode() + b"x-fc-request-id: forged\r\n\r\n", {400}),
    "bad-method": (b"BREW /fast/ HTTP/1.1\r\n" + HOST.encode() + b"\r\n", {400, 403, 405}),
    "garbage-output": (b"GET /garbage/ HTTP/1.1\r\n" + HOST.encode() + b"\r\n", {502}),
    "timeout": (b"GET /slow/ HTTP/1.1\r\n" + HOST.encode() + b"\r\n", {502}),
}

tally = collections.defaultdict(collections.Counter)
lock = threading.Lock()


def status_of(request):
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as connection:
        connection.sendall(request)
        head = b""
        while b"\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                return "closed"
            head += chunk
        return int(head.split(b" ", 2)[1])


def run(names):
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        for name in names:
            try:
                status = status_of(CASES[name][0])
            except socket.timeout:
                status = "hang"
            except OSError as error:
                status = type(error).__name__
            with lock:
                tally[name][status] += 1


fast = [name for name in CASES if name != "timeout"]
threads = [threading.Thread(target=run, args=(names,)) for names in (fast, fast, ["timeout"] * 4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

bad = 0
for name, (_, safe) in CASES.items():
    counts = tally[name]
    unexpected = sum(n for status, n in counts.items() if status not in safe)
    bad += counts[500] + counts["hang"]
    shown = " ".join(f"{status}x{n}" for status, n in sorted(counts.items(), key=str))
    print(f"  {name:20} {sum(counts.values()):7} requests  {shown}  unexpected={unexpected}")
sys.exit(1 if bad else 0)
