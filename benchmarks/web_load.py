"""Web load and upload-memory benchmark against a real `uvicorn` server on loopback.

`load` (the default): a fresh server (its own scratch data directory, SQLite unless
BACKSTRIDE_DATABASE_URL is set) with one signed-in runner who has a kept check and 60 diary
days; then 50 concurrent connections (httpx async client) hit each route for a fixed time:
`/`, `/diary`, `/progress`, `/settings` and `POST /api/v1/assessments`. Prints requests per
second and the p50/p95/p99 latency per route (target: p95 < 50 ms).

`bomb`: uploads a 1 MB gzip bomb (about 1 GB of zeros once inflated), once alone and then
three at a time, and prints the server process's peak resident memory (VmHWM) before and
after (the issue's target: a bomb never takes more than about 50 MB).

Run: .venv/bin/python benchmarks/web_load.py [load|bomb] [--seconds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

import httpx

PASSWORD = "benchmark password 1234"
CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}
CONNECTIONS = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(home: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`uvicorn --factory backstride.web.app:create_app` on a free loopback port."""
    port = free_port()
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "BACKSTRIDE_REGISTRATION": "open"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "backstride.web.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--workers", str(workers)]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def sign_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return client


def seed(client: httpx.Client) -> None:
    client.post("/api/v1/assessments", json=CASE).raise_for_status()
    start = date.today() - timedelta(days=60)
    for day in range(60):
        entry = {"date": (start + timedelta(days=day)).isoformat(), "pain": 6 - day // 12}
        client.post("/api/v1/diary", json=entry).raise_for_status()


async def hammer(base: str, client: httpx.Client, method: str, path: str, seconds: float
                 ) -> list[float]:  # fmt: skip
    """Latencies (s) of `CONNECTIONS` concurrent loops over one route for `seconds`."""
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, cookies=client.cookies, headers=client.headers,
                                 limits=limits, timeout=60) as session:  # fmt: skip
        stop = time.perf_counter() + seconds

        async def loop() -> None:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                if method == "POST":
                    response = await session.post(path, json=CASE)
                else:
                    response = await session.get(path)
                latencies.append(time.perf_counter() - began)
                if response.status_code >= 400:
                    raise SystemExit(f"{method} {path}: HTTP {response.status_code}")

        await asyncio.gather(*(loop() for _ in range(CONNECTIONS)))
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_load(seconds: float, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="backstride-bench-") as scratch:
        server, base = start_server(Path(scratch) / "home", workers)
        try:
            client = sign_in(base, "runner@example.org")
            seed(client)
            routes = [("GET", "/"), ("GET", "/diary"), ("GET", "/progress"),
                      ("GET", "/settings"), ("POST", "/api/v1/assessments")]  # fmt: skip
            print(f"{CONNECTIONS} connections, {seconds:g} s per route, {workers} worker(s)")
            print(f"{'route':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for method, path in routes:
                times = asyncio.run(hammer(base, client, method, path, seconds))
                print(f"{method + ' ' + path:<28} {len(times) / seconds:>8.0f} "
                      f"{statistics.median(times) * 1000:>8.1f} "
                      f"{percentile(times, 0.95) * 1000:>8.1f} "
                      f"{percentile(times, 0.99) * 1000:>8.1f}")  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)


def gzip_bomb(inflated_bytes: int = 1024**3) -> bytes:
    """About 1 MB of gzip that inflates to `inflated_bytes` of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (16 * 1024 * 1024)
    parts = [packer.compress(block) for _ in range(inflated_bytes // len(block))]
    return b"".join(parts) + packer.flush()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM for the server process")


def upload_and_wait(client: httpx.Client, name: str, payload: bytes) -> str:
    files = [("files", (name, payload, "application/gzip"))]
    job_id = client.post("/api/v1/activities", files=files).json()["job"]
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return str(job["results"][0].get("reason", job["results"][0]["outcome"]))
        time.sleep(0.05)


def run_bomb() -> None:
    bomb = gzip_bomb()
    with tempfile.TemporaryDirectory(prefix="backstride-bench-") as scratch:
        server, base = start_server(Path(scratch) / "home", 1)
        try:
            client = sign_in(base, "runner@example.org")
            client.get("/diary")  # a warm server: templates and the store are loaded
            before = peak_rss_mb(server.pid)
            print(f"gzip bomb: {len(bomb) / 1e6:.2f} MB compressed, 1024 MB inflated")
            print(f"server peak RSS before: {before:.1f} MB")
            print("one upload:", upload_and_wait(client, "bomb.fit.gz", bomb))
            one = peak_rss_mb(server.pid)
            print(f"server peak RSS after one bomb: {one:.1f} MB (+{one - before:.1f} MB)")
            others = [sign_in(base, f"runner{i}@example.org") for i in range(3)]

            async def three() -> None:
                await asyncio.gather(*(asyncio.to_thread(upload_and_wait, c, "b.gz", bomb)
                                       for c in others))  # fmt: skip

            asyncio.run(three())
            after = peak_rss_mb(server.pid)
            print(f"server peak RSS after three at once: {after:.1f} MB (+{after - before:.1f} MB)")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="load", choices=["load", "bomb"])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "bomb":
        run_bomb()
    else:
        run_load(args.seconds, args.workers)


if __name__ == "__main__":
    main()
