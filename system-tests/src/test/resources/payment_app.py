#!/usr/bin/env python3
"""A payment-service replica in Python (standard library only), run next to the Beacon sidecar.

It answers the payment API the sample order service calls (POST /payments, honouring
Idempotency-Key), a health endpoint for the sidecar's probe, and POST /relay/payments, which pays
through the sidecar's outbound proxy: payment-service by name, whichever instance the proxy picks.

    python3 payment_app.py --port 9090 [--proxy http://127.0.0.1:15001]

The proxy URL defaults to $BEACON_PROXY_URL, which the sidecar sets for an app it starts.
On SIGTERM it stops accepting, finishes the requests in flight (not the idle keep-alive connections)
and exits 0.
"""
import argparse
import json
import os
import signal
import threading
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--proxy", default=os.environ.get("BEACON_PROXY_URL", "http://127.0.0.1:15001"))
args = parser.parse_args()

SERVED_BY = "127.0.0.1:%d" % args.port
payments_by_key = {}
lock = threading.Lock()
in_flight = 0
idle = threading.Condition()


def counted(handle):
    """Counts a request as in flight while it is handled, so a shutdown can wait for it."""
    def wrapper(self):
        global in_flight
        with idle:
            in_flight += 1
        try:
            handle(self)
        finally:
            with idle:
                in_flight -= 1
                idle.notify_all()
    return wrapper


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *values):  # one line per request is noise in the test logs
        pass

    @counted
    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "UP", "pid": os.getpid()})
        else:
            self.problem(404, "not-found", "No resource " + self.path)

    @counted
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/payments":
            self.pay(body)
        elif self.path == "/relay/payments":
            self.relay(body)
        else:
            self.problem(404, "not-found", "No resource " + self.path)

    def pay(self, body):
        try:
            request = json.loads(body)
            order_id, amount = str(request["orderId"]), float(request["amount"])
        except (ValueError, KeyError, TypeError):
            self.problem(400, "invalid-request", "The body must be {\"orderId\": ..., \"amount\": ...}")
            return
        key = self.headers.get("Idempotency-Key")
        with lock:
            payment = payments_by_key.get(key) if key else None
            if payment is None:
                payment = {"paymentId": str(uuid.uuid4()), "orderId": order_id, "amount": round(amount, 2),
                           "status": "PAID", "servedBy": SERVED_BY,
                           "paidAt": datetime.now(timezone.utc).isoformat()}
                if key:
                    payments_by_key[key] = payment
        self.reply(201, payment)

    def relay(self, body):
        """Pays through the sidecar's proxy: payment-service by name."""
        request = urllib.request.Request(args.proxy + "/payment-service/payments", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.reply(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            self.reply(error.code, json.loads(error.read() or b"{}"))

    def reply(self, status, document, content_type="application/json"):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def problem(self, status, kind, detail):
        self.reply(status, {"type": "urn:beacon:problem:" + kind, "status": status, "detail": detail},
                   "application/problem+json")


class Server(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections do not hold up the exit
    request_queue_size = 128


server = Server(("127.0.0.1", args.port), Handler)
signal.signal(signal.SIGTERM, lambda signum, frame: threading.Thread(target=server.shutdown).start())
print("payment_app.py serving on 127.0.0.1:%d, pid %d, proxy %s" % (args.port, os.getpid(), args.proxy), flush=True)
server.serve_forever()
server.server_close()  # stops accepting
with idle:
    idle.wait_for(lambda: in_flight == 0, timeout=10)
print("payment_app.py stopped", flush=True)
