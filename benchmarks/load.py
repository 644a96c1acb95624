"""A small HTTP load client for loopback: N concurrent clients, each a request loop.

    python -m benchmarks.load < scenario.json

Scenario: host, port, seconds (measured), warmup (seconds not measured), max_requests
(a bound on the whole run), expect (the status a request must get), and clients: one per
concurrent client, each with `cookie` and either `paths` (GET, taken in turn) or `post`
(path, the two bodies it alternates, each a list of [name, value] pairs, and the
response's version, raised by one after every save as the server does). A save counts
only when it redirects back to its own section (a redirect to the login is an error).

One connection per request, as gunicorn's sync workers close it after each response.
Prints one JSON line: requests, errors, rps, p50_ms, p95_ms, p99_ms, statuses. Only
loopback addresses are accepted.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sys
import time
from urllib.parse import urlencode


def _request(method: str, host: str, port: int, path: str, cookie: str, body=b""):
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: close",
        "User-Agent: gnv-benchmark",
        f"Cookie: {cookie}",
    ]
    if method == "POST":
        lines += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _send(host: str, port: int, payload: bytes) -> tuple[int, str]:
    """The status and the Location header of the reply (0 when there is none)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    if not data.startswith(b"HTTP/1."):
        return 0, ""
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    location = ""
    for line in head.split("\r\n")[1:]:
        name, _colon, value = line.partition(":")
        if name.strip().lower() == "location":
            location = value.strip()
    return int(data[9:12]), location


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


async def run(scenario: dict) -> dict:
    host, port = scenario["host"], int(scenario["port"])
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError("The load client only sends to loopback addresses.")
    expect = int(scenario["expect"])
    start = time.perf_counter()
    measure_from = start + float(scenario.get("warmup", 0))
    stop_at = measure_from + float(scenario["seconds"])
    budget = int(scenario.get("max_requests", 1_000_000))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    sent = 0

    async def client(spec: dict) -> None:
        nonlocal errors, sent
        turn = 0
        post = spec.get("post")
        version = int(post["version"]) if post else 0
        while time.perf_counter() < stop_at and sent < budget:
            sent += 1
            if post:
                pairs = [*post["bodies"][turn % 2], ["version", str(version)]]
                body = urlencode([tuple(pair) for pair in pairs]).encode()
                payload = _request(
                    "POST", host, port, post["path"], spec["cookie"], body
                )
            else:
                path = spec["paths"][turn % len(spec["paths"])]
                payload = _request("GET", host, port, path, spec["cookie"])
            began = time.perf_counter()
            try:
                status, location = await _send(host, port, payload)
            except OSError:
                status, location = 0, ""
            ended = time.perf_counter()
            turn += 1
            if post:
                # A save answers with a redirect back to its section, not to the login.
                if status == expect and location.startswith(post["path"]):
                    version += 1
                elif status == expect:
                    status = -status
            if began < measure_from:
                continue
            if ended > stop_at:
                break
            statuses[status] = statuses.get(status, 0) + 1
            if status != expect:
                errors += 1
            latencies.append(ended - began)

    await asyncio.gather(*(client(spec) for spec in scenario["clients"]))
    measured = min(time.perf_counter(), stop_at) - measure_from
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": measured,
        "rps": len(latencies) / measured if measured > 0 else 0.0,
        "p50_ms": 1000 * _percentile(latencies, 0.50),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def main() -> None:
    result = asyncio.run(run(json.load(sys.stdin)))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
