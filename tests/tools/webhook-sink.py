#!/usr/bin/python3
"""A webhook receiver for the end-to-end tests (tests/e2e/onboarding.sh).

    webhook-sink.py PORT FILE [--fail-first N]

Listens on 127.0.0.1:PORT and appends every POST to FILE as one JSON line:
{"path", "headers": {lower-case name: value}, "body_b64": the exact body,
base64}, so the test can check the signature over the exact bytes. Answers
204; with --fail-first N the first N requests get a 503 (the sender must
retry them). Standard library only (runs under /usr/bin/python3).
"""
import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock

port = int(sys.argv[1])
out = sys.argv[2]
fail_first = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--fail-first" else 0
lock = Lock()
seen = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (the library's name)
        global seen
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        with lock:
            seen += 1
            failing = seen <= fail_first
            record = {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body_b64": base64.b64encode(body).decode(),
                "answered": 503 if failing else 204,
            }
            with open(out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        self.send_response(503 if failing else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
