#!/usr/bin/python3
"""A real SMTP server for the tests and the demo: it takes every message
and writes it, byte for byte as received after DATA, to DIR/<n>.eml (n = 1,
2, ... in arrival order), with the envelope beside it in DIR/<n>.json
({"mail_from", "rcpt_tos", "tls", "auth_user", "attempt"}). Both are written
to a temporary name and renamed, the .json first, so a reader that sees
<n>.eml sees a whole message and its envelope.

    smtp-sink.py --port N --dir DIR [--host 127.0.0.1]
                 [--starttls CERT KEY]   offer STARTTLS and require it
                 [--smtps CERT KEY]      implicit TLS (smtps://) instead
                 [--auth USER:PASS]      require AUTH PLAIN/LOGIN with these
                 [--fail-first K]        answer the first K DATA with 451

Prints "listening HOST:PORT" on stdout once it accepts connections, and one
line per attempt ("refused attempt 1", "stored 1.eml"). SIGTERM or SIGINT
stop it (exit 0). Runs with Debian's /usr/bin/python3 and python3-aiosmtpd.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, fail_first, implicit_tls):
        self.directory = directory
        self.implicit_tls = implicit_tls
        self.fail_first = fail_first
        self.attempts = 0
        self.stored = 0
        self.lock = threading.Lock()

    def _write(self, name, data):
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            attempt = self.attempts
            if attempt <= self.fail_first:
                print("refused attempt %d" % attempt, flush=True)
                return "451 4.3.0 sink: try again later (attempt %d)" % attempt
            self.stored += 1
            n = self.stored
        auth_user = None
        if session.auth_data is not None and isinstance(session.auth_data, LoginPassword):
            auth_user = session.auth_data.login.decode("utf-8", "replace")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "tls": self.implicit_tls or session.ssl is not None,
            "auth_user": auth_user,
            "attempt": attempt,
        }
        self._write("%d.json" % n, json.dumps(meta).encode() + b"\n")
        content = envelope.original_content if envelope.original_content is not None else envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        self._write("%d.eml" % n, content)
        print("stored %d.eml" % n, flush=True)
        return "250 2.0.0 OK stored as %d" % n


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        ):
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    return authenticate


def tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    # aiosmtpd 1.4 sets its deprecated Session.login_data itself, and warns
    # and it warns of AUTH without STARTTLS, which the plain and smtps
    # listeners ask for on purpose
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    ap = argparse.ArgumentParser(description="SMTP sink for the tests")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth", metavar="USER:PASS")
    ap.add_argument("--fail-first", type=int, default=0, metavar="K")
    args = ap.parse_args()
    if args.starttls and args.smtps:
        ap.error("--starttls and --smtps exclude each other")
    if args.port <= 0 or args.port > 65535:
        ap.error("--port must be 1..65535")
    os.makedirs(args.dir, exist_ok=True)

    handler = Sink(args.dir, args.fail_first, bool(args.smtps))
    params = {"ident": "ixapi-smtp-sink", "decode_data": False}
    kwargs = {}
    if args.starttls:
        params["tls_context"] = tls_context(*args.starttls)
        params["require_starttls"] = True
    if args.smtps:
        kwargs["ssl_context"] = tls_context(*args.smtps)
        kwargs["server_hostname"] = "localhost"
    if args.auth:
        if ":" not in args.auth:
            ap.error("--auth takes USER:PASS")
        user, password = args.auth.split(":", 1)
        params["authenticator"] = make_authenticator(user, password)
        params["auth_required"] = True
        # AUTH only after STARTTLS when STARTTLS is offered (aiosmtpd's
        # default); on a plain or smtps listener, AUTH in the clear (smtps is
        # TLS from the start).
        params["auth_require_tls"] = bool(args.starttls)
    controller = Controller(handler, hostname=args.host, port=args.port, **kwargs, **params)
    controller.start()
    print("listening %s:%d" % (args.host, args.port), flush=True)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop.wait(0.5):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
