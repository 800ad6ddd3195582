#!/usr/bin/env python3
"""A loopback HTTP proxy in front of an AWS emulator (moto) that injects faults and counts calls.

    python3 tools/aws-proxy.py --upstream http://127.0.0.1:5000 --port 0 \
        --latency-ms 20 --throttle 0.2 --server-error 0.05 --seed 7

It prints its port on standard output when it is ready. Every request is forwarded unchanged
(Host header included, so emulator answers that embed URLs, like SQS queue URLs, name the proxy).
Faults, chosen per request by one draw of a seeded RNG (the shares must add up to at most 1):

  --throttle P       the service's throttling error: 400 ThrottlingException (JSON services, by
                     X-Amz-Target), 429 TooManyRequestsException (REST JSON services, like Lambda),
                     400 Throttling (XML, query services, by the Action form field), 503 SlowDown (S3)
  --server-error P   500 InternalFailure (InternalError for S3), in the same protocols
  --drop P           the connection is closed without an answer
  --slow P           the answer comes after --slow-ms milliseconds (default 3000)
  --deny-service S   (repeatable) every call of service S is refused with the protocol's access
                     denied error; S is the SigV4 credential scope's service (s3, lambda, sqs, ...)
  --deny-operation S:OP  (repeatable) the same for one operation, named as the stats name it
                     (sqs:GetQueueAttributes, "s3:GET /{bucket}?policy")
  --only-service S   (repeatable) the random faults above hit only these services
  --rate-limit S:N   (repeatable) service S takes N calls a second (a bucket of N tokens, refilled
                     continuously); a call past it gets the throttling error, as AWS's quotas do
  --latency-ms N     N milliseconds added before every call

The service is the SigV4 credential scope's (`.../<region>/<service>/aws4_request`). Calls are
counted per service and operation (X-Amz-Target, the Action field, or for REST services the
method and path, with names and ids written as {}):
GET /_proxy/stats answers the counts as JSON, with the seconds spent waiting for the upstream per
operation (`upstream_s`, summed over concurrent calls), POST /_proxy/reset sets them to zero.
Python 3 standard library only.
"""
import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
QUERY_SCOPE = re.compile(r"^[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request$")
VERSION = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|v\d+)$")
WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
# Words REST paths use where a name or id would be by position (/collection/{id}/collection/{id})
KEYWORDS = {"list", "identities", "configuration-sets", "account", "email"}

# (status, code, message) per fault as JSON services answer; error_response adapts them to S3,
# query and REST JSON services.
ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "server_error": (500, "InternalFailure", "We encountered an internal error. Please try again."),
    "deny": (403, "AccessDeniedException", "User is not authorized to perform this action (aws-proxy)"),
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.calls = {}  # service -> operation -> count
            self.upstream_s = {}  # service -> operation -> seconds spent waiting for the emulator
            self.injected = {"throttle": 0, "server_error": 0, "drop": 0, "slow": 0, "deny": 0}

    def count(self, service, operation, fault):
        with self.lock:
            ops = self.calls.setdefault(service, {})
            ops[operation] = ops.get(operation, 0) + 1
            if fault:
                self.injected[fault] += 1

    def upstream(self, service, operation, seconds):
        with self.lock:
            ops = self.upstream_s.setdefault(service, {})
            ops[operation] = ops.get(operation, 0.0) + seconds

    def snapshot(self):
        with self.lock:
            services = {
                s: {"total": sum(ops.values()), "operations": dict(sorted(ops.items()))}
                for s, ops in sorted(self.calls.items())
            }
            total = sum(s["total"] for s in services.values())
            upstream = {s: {op: round(t, 3) for op, t in sorted(ops.items())} for s, ops in sorted(self.upstream_s.items())}
            return {"total": total, "services": services, "injected": dict(self.injected),
                    "upstream_s": upstream}


def service_of(headers, query):
    """The SigV4 credential scope's service name, or "unsigned"."""
    found = SCOPE.search(headers.get("Authorization", ""))
    if found:
        return found.group(1)
    credential = urllib.parse.parse_qs(query).get("X-Amz-Credential", [""])[0]
    found = QUERY_SCOPE.match(credential)
    return found.group(1) if found else "unsigned"


# REST services whose errors are XML documents, like the query protocol's.
REST_XML = {"cloudfront", "route53"}


def protocol_of(service, headers, body):
    """json (X-Amz-Target), query (a form with Action), s3, rest-xml (CloudFront, Route 53), or
    rest-json (everything else)."""
    if service == "s3":
        return "s3"
    if service in REST_XML:
        return "rest-xml"
    if headers.get("X-Amz-Target"):
        return "json"
    if headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded") and b"Action=" in body:
        return "query"
    return "rest-json"


def operation_of(protocol, method, path, query, headers, body):
    if protocol == "json":
        return headers["X-Amz-Target"].rsplit(".", 1)[-1]
    if protocol == "query":
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", ["?"])[0]
        return action
    segments = [s for s in path.split("/") if s]
    if protocol == "s3":
        shape = "/".join(["{bucket}"] + (["{key}"] if len(segments) > 1 else [])) if segments else ""
    else:
        shape = "/".join(rest_shape(segments))
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)} - {"X-Amz-Credential"})
    return f"{method} /{shape}" + ("?" + "&".join(keys) if keys else "")


def rest_shape(segments):
    """REST path segments with names and ids as {}: after the leading version, segments alternate
    collection and id (/v2/apis/{}/routes, /2015-03-31/functions/{}/policy)."""
    at = 0
    while at < len(segments) and VERSION.match(segments[at]):
        yield segments[at]
        at += 1
    for i, s in enumerate(segments[at:]):
        yield s if WORD.match(s) and (i % 2 == 0 or s in KEYWORDS) else "{}"


def error_response(protocol, fault):
    """(status, headers, body) of the fault's AWS error in the request's protocol."""
    status, code, message = ERRORS[fault]
    if protocol == "s3":
        status, code = {"throttle": (503, "SlowDown"), "server_error": (500, "InternalError"),
                        "deny": (403, "AccessDenied")}[fault]
        body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>'
        return status, {"Content-Type": "application/xml"}, body.encode()
    if protocol in ("query", "rest-xml"):
        code = {"throttle": "Throttling", "deny": "AccessDenied"}.get(fault, code)
        kind = "Receiver" if fault == "server_error" else "Sender"
        body = (f'<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message>'
                f"</Error><RequestId>proxy</RequestId></ErrorResponse>")
        return status, {"Content-Type": "text/xml"}, body.encode()
    if protocol == "rest-json" and fault == "throttle":
        status, code = 429, "TooManyRequestsException"
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code,
               "x-amzn-query-error": f"{code};Sender", "x-amzn-RequestId": "proxy"}
    return status, headers, json.dumps({"__type": code, "message": message}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None  # an http.client connection to the emulator, one per client connection

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def handle_any(self):
        body = self.read_body()
        path, _, query = self.path.partition("?")
        if path.startswith("/_proxy/"):
            return self.control(path)
        opts, stats = self.server.options, self.server.stats
        service = service_of(self.headers, query)
        protocol = protocol_of(service, self.headers, body)
        operation = operation_of(protocol, self.command, path, query, self.headers, body)
        fault = self.server.choose_fault(service, operation)
        stats.count(service, operation, fault)
        if opts.latency_ms:
            time.sleep(opts.latency_ms / 1000)
        if fault in ("throttle", "server_error", "deny"):
            return self.answer(*error_response(protocol, fault))
        if fault == "drop":
            self.close_connection = True
            return None
        if fault == "slow":
            time.sleep(opts.slow_ms / 1000)
        start = time.monotonic()
        try:
            return self.forward(body)
        finally:
            stats.upstream(service, operation, time.monotonic() - start)

    def forward(self, body):
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        for attempt in (1, 2):
            try:
                if self.upstream is None:
                    host, port = self.server.upstream
                    self.upstream = http.client.HTTPConnection(host, port, timeout=120)
                self.upstream.request(self.command, self.path, body=body, headers=headers)
                response = self.upstream.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError) as e:
                self.upstream.close()
                self.upstream = None
                if attempt == 2:  # a kept-alive connection the emulator had closed gets one retry
                    return self.answer(502, {"Content-Type": "text/plain"}, f"aws-proxy: upstream: {e}".encode())
        skip = HOP_BY_HOP | {"content-length", "server", "date"}  # send_response writes its own
        out = {k: v for k, v in response.getheaders() if k.lower() not in skip}
        return self.answer(response.status, out, data, length=response.getheader("Content-Length"))

    def answer(self, status, headers, body, length=None):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", length if self.command == "HEAD" and length else str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def control(self, path):
        if path == "/_proxy/stats" and self.command == "GET":
            return self.answer(200, {"Content-Type": "application/json"},
                               json.dumps(self.server.stats.snapshot(), indent=1).encode())
        if path == "/_proxy/reset" and self.command == "POST":
            self.server.stats.reset()
            return self.answer(204, {}, b"")
        return self.answer(404, {"Content-Type": "text/plain"}, b"unknown control path")

    def finish(self):
        if self.upstream is not None:
            self.upstream.close()
        try:
            super().finish()
        except OSError:
            pass


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, options):
        super().__init__(("127.0.0.1", options.port), Handler)
        self.options = options
        self.stats = Stats()
        url = urllib.parse.urlsplit(options.upstream)
        self.upstream = (url.hostname, url.port or 80)
        self.rng = random.Random(options.seed)
        self.rng_lock = threading.Lock()
        self.bands = [(name, getattr(options, name)) for name in ("throttle", "server_error", "drop", "slow")]
        # service -> [tokens, calls a second, last refill]
        self.rates = {service: [rate, rate, time.monotonic()] for service, rate in options.rate_limit}

    def over_rate(self, service):
        """Whether this call of `service` goes past its --rate-limit."""
        bucket = self.rates.get(service)
        if bucket is None:
            return False
        with self.rng_lock:
            now = time.monotonic()
            bucket[0] = min(bucket[1], bucket[0] + (now - bucket[2]) * bucket[1])
            bucket[2] = now
            if bucket[0] >= 1:
                bucket[0] -= 1
                return False
            return True

    def choose_fault(self, service, operation):
        """deny for a denied service or operation; else one of the random faults, or None."""
        opts = self.options
        if service in opts.deny_service or f"{service}:{operation}" in opts.deny_operation:
            return "deny"
        if self.over_rate(service):
            return "throttle"
        with self.rng_lock:
            draw = self.rng.random()
        if opts.only_service and service not in opts.only_service:
            return None
        for name, share in self.bands:
            if draw < share:
                return name
            draw -= share
        return None

    def handle_error(self, request, client_address):
        pass  # a client that went away (a timed-out SDK attempt) is not the proxy's problem


def share(text):
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("a share is between 0 and 1")
    return value


def rate_limit(text):
    service, _, rate = text.partition(":")
    try:
        value = float(rate)
    except ValueError:
        value = 0
    if not service or value <= 0:
        raise argparse.ArgumentTypeError("a rate limit is SERVICE:CALLS_PER_SECOND, like lambda:15")
    return service, value


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--upstream", default="http://127.0.0.1:5000", help="the emulator (default %(default)s)")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--throttle", type=share, default=0)
    p.add_argument("--server-error", type=share, default=0)
    p.add_argument("--drop", type=share, default=0)
    p.add_argument("--slow", type=share, default=0)
    p.add_argument("--slow-ms", type=float, default=3000)
    p.add_argument("--deny-service", action="append", default=[])
    p.add_argument("--deny-operation", action="append", default=[])
    p.add_argument("--only-service", action="append", default=[])
    p.add_argument("--rate-limit", action="append", default=[], type=rate_limit)
    options = p.parse_args(argv)
    if options.throttle + options.server_error + options.drop + options.slow > 1:
        p.error("the fault shares add up to more than 1")
    proxy = Proxy(options)
    print(proxy.server_address[1], flush=True)
    try:
        proxy.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
