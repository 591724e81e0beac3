#!/usr/bin/env python3
"""Accepts OTLP/HTTP exports and discards them: answers every POST with 200 and an empty protobuf body.

NOT an OTLP receiver: nothing is decoded, checked or stored. It exists only so that the worker's exporter has
somewhere to send while `qi bench` measures what tracing costs the worker (docs/operations.md, Traces). On exit
(SIGTERM/SIGINT) it prints how many POSTs and bytes it took per path, so a run shows that spans were sent.

Usage: scripts/otlp-sink.py PORT
"""
import signal
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

posts = Counter()
received = Counter()
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
        with lock:
            posts[self.path] += 1
            received[self.path] += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    for path in sorted(posts):
        print(f"{path}: {posts[path]} POSTs, {received[path]} bytes", flush=True)


if __name__ == "__main__":
    main()
