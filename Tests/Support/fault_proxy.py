#!/usr/bin/env python3
"""A loopback HTTP proxy that injects S3 faults in front of a real server (moto), for tests.

Usage: fault_proxy.py UPSTREAM_URL
Prints "PORT <n>" on standard output once it listens on 127.0.0.1:<n>. Exits when its standard
input closes (so it never outlives the test that started it) or on SIGTERM.

Control (requests to the proxy itself, never forwarded):
  PUT /__proxy/faults   body: comma-separated faults applied to the next requests, one each:
      500        HTTP 500 InternalError
      503        HTTP 503 ServiceUnavailable
      slowdown   HTTP 503 with S3's SlowDown code
      429        HTTP 429 TooManyRequests
      403        HTTP 403 AccessDenied (permanent)
      drop       read the request, then close the connection without answering
      truncate   forward, but send only half of the response body, then close
      norange    forward without the Range header, as a server that ignores it would
      blackhole  read the request, then never answer (the connection stays open)
      noread     read the request head only, never its body, and never answer
      stall      forward, send the response head and half the body, then never send more
      A fault may name the requests it applies to: "500@partNumber" applies to the first request
      whose "METHOD /path?query" contains "partNumber"; faults without "@" apply to any request.
  GET /__proxy/stats    JSON {"forwarded": n, "injected": n, "pending": n, "maxInFlight": n}
      (maxInFlight: the most requests forwarded to the upstream at the same time)
"""
import http.client
import json
import os
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
LOCK = threading.Lock()
STATE = {"faults": [], "forwarded": 0, "injected": 0, "in_flight": 0, "max_in_flight": 0}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection", "upgrade", "te"}

ERRORS = {
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "ServiceUnavailable", "Please reduce your request rate."),
    "slowdown": (503, "SlowDown", "Please reduce your request rate."),
    "429": (429, "TooManyRequests", "Too many requests."),
    "403": (403, "AccessDenied", "Access Denied"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        if self.path.startswith("/__proxy/"):
            return self._control(self._body())
        with LOCK:
            fault = None
            target = f"{self.command} {self.path}"
            for index, spec in enumerate(STATE["faults"]):
                name, _, where = spec.partition("@")
                if where in target:
                    fault = name
                    del STATE["faults"][index]
                    break
            STATE["injected" if fault and fault not in ("truncate", "norange", "stall") else "forwarded"] += 1
            if fault in ("truncate", "norange", "stall"):
                STATE["injected"] += 1
        if fault == "noread":
            threading.Event().wait()  # never reads the body: the sender's socket fills up and stays full
        body = self._body()
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "blackhole":
            threading.Event().wait()  # never answers; the daemon thread ends with the proxy
        if fault in ERRORS:
            status, code, message = ERRORS[fault]
            xml = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
            self._reply(status, [("Content-Type", "application/xml")], xml.encode())
            return
        with LOCK:
            STATE["in_flight"] += 1
            STATE["max_in_flight"] = max(STATE["max_in_flight"], STATE["in_flight"])
        try:
            upstream = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if fault == "norange":
                headers = {k: v for k, v in headers.items() if k.lower() != "range"}
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
        finally:
            with LOCK:
                STATE["in_flight"] -= 1
        out_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP | {"content-length"}]
        upstream.close()
        if self.command == "HEAD" and response.getheader("Content-Length") is not None:
            out_headers.append(("Content-Length", response.getheader("Content-Length")))
        if fault in ("stall", "truncate") and self.command != "HEAD" and len(data) > 1:
            # The whole length announced, half the body sent; then hang, or close.
            self.send_response(response.status)
            for k, v in out_headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            if fault == "stall":
                threading.Event().wait()
            self.close_connection = True
            return
        self._reply(response.status, out_headers, data, head=self.command == "HEAD")

    def _control(self, body):
        if self.command == "PUT" and self.path == "/__proxy/faults":
            with LOCK:
                STATE["faults"] = [f.strip() for f in body.decode().split(",") if f.strip()]
            self._reply(200, [], b"")
        elif self.path == "/__proxy/stats":
            with LOCK:
                stats = {
                    "forwarded": STATE["forwarded"],
                    "injected": STATE["injected"],
                    "pending": len(STATE["faults"]),
                    "maxInFlight": STATE["max_in_flight"],
                }
            self._reply(200, [("Content-Type", "application/json")], json.dumps(stats).encode())
        else:
            self._reply(404, [], b"")

    def _reply(self, status, headers, data, head=False):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if not head or not any(k.lower() == "content-length" for k, _ in headers):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


def exit_when_parent_goes():
    sys.stdin.read()
    os._exit(0)


# A child of a Swift test process inherits its blocked signals; unblock SIGTERM so terminate() works.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
threading.Thread(target=exit_when_parent_goes, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
