#!/usr/bin/env python3
"""A real SMTP server for the e-mail target's tests (aiosmtpd).

    smtp_peer.py --outdir DIR --cert CERT --key KEY --user U --password P
                 [--host 127.0.0.1] [--port 0] [--mode starttls|tls|plain]

Modes:
  starttls  STARTTLS offered and required before MAIL; AUTH only after STARTTLS and required.
  tls       implicit TLS (SMTPS) from the first byte; AUTH required.
  plain     no TLS at all; AUTH required (only for the loopback "None" security test).

Every accepted message is written as DIR/NNNN.eml (the bytes received, unchanged) and DIR/NNNN.env
(from=, to=, auth=, tls=, tls_version=, user=).

Recipients whose local part starts with "reject" are refused with 550 5.1.1; those starting with
"busy" get 451 4.3.0 (try later). With --port 0 a free port is picked. When the server accepts
connections it prints one line "listening HOST:PORT" on stdout; it runs until killed.

Requires: pip install aiosmtpd (tested with 1.4.6).
"""

import argparse
import asyncio
import itertools
import logging
import pathlib
import socket
import ssl
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    p.add_argument("--outdir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # aiosmtpd warns about its own deprecated login_data and about AUTH without TLS in plain mode.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")

    out = pathlib.Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    seq = itertools.count(1)

    port = a.port
    if port == 0:
        # aiosmtpd's readiness check connects to the configured port, so it cannot take 0 itself.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((a.host, 0))
            port = s.getsockname()[1]

    def is_tls(server, session) -> bool:
        if session.ssl is not None:  # after STARTTLS
            return True
        transport = getattr(server, "transport", None)  # implicit TLS
        return transport is not None and transport.get_extra_info("ssl_object") is not None

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            local = address.split("@", 1)[0].lower()
            if local.startswith("reject"):
                return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
            if local.startswith("busy"):
                return "451 4.3.0 Mailbox busy, try again later"
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"

        async def handle_DATA(self, server, session, envelope):
            n = next(seq)
            ssl_obj = None
            transport = getattr(server, "transport", None)
            if transport is not None:
                ssl_obj = transport.get_extra_info("ssl_object")
            (out / f"{n:04d}.eml").write_bytes(envelope.original_content)
            env = (
                f"from={envelope.mail_from}\n"
                f"to={','.join(envelope.rcpt_tos)}\n"
                f"auth={session.authenticated}\n"
                f"tls={is_tls(server, session)}\n"
                f"tls_version={ssl_obj.version() if ssl_obj is not None else ''}\n"
                f"user={session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ''}\n"
            )
            # Write .env last and atomically: a reader that sees it can trust the .eml is complete.
            tmp = out / f"{n:04d}.env.tmp"
            tmp.write_text(env)
            tmp.rename(out / f"{n:04d}.env")
            return f"250 2.0.0 Ok: queued as {n:04d}"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == a.user
            and auth_data.password.decode() == a.password
        )
        # handled=False makes aiosmtpd send the 235/535 reply itself; with the default (True) a
        # failed login gets no reply at all and the client only sees the connection hang.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    kwargs = dict(
        hostname=a.host,
        port=port,
        authenticator=authenticator,
        auth_required=True,
    )
    if a.mode != "plain":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
    if a.mode == "starttls":
        kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
    elif a.mode == "tls":
        # aiosmtpd's auth_require_tls only knows STARTTLS; the whole session is TLS here anyway.
        kwargs.update(ssl_context=ctx, auth_require_tls=False)
    else:
        kwargs.update(auth_require_tls=False)

    controller = Controller(Handler(), **kwargs)
    controller.start()
    print(f"listening {a.host}:{port}", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
