"""Web load and upload-memory benchmark against a real `uvicorn` server on loopback.

`load` (the default): a fresh server (its own scratch data directory, SQLite unless
BACKSTRIDE_DATABASE_URL is set) with 50 runners, each with a kept check dated five years back,
a diary entry for every day of those five years and about 1,000 runs (written straight into the
store, seeded and reproducible). Then 50 concurrent users (each signed in as their own
runner) hit each page for a fixed time (driven by `wrk`, one thread and connection
per user with its own session cookie, when it is installed — the Debian package — else by the
httpx async client, which costs about as much CPU as the server and so competes with it on a
small machine; `--driver` chooses): the dashboard `/`, `/diary`, `/progress`,
`/plan`, the training pages that exist (`/training`, `/activities`, `/api/v1/activities`,
`/api/v1/analysis`), `/settings` and `POST /api/v1/assessments`. Prints requests per second,
p50/p95/p99 latency and the server's CPU time per request (user+sys of the server process and
its workers, read from /proc: unlike latency it does not grow when other work shares the
machine), once for each user's first visit ("cold": nothing kept yet) and once for the timed
loop that follows. Target: p95 < 50 ms. `--save FILE` keeps the figures as JSON and `--baseline
FILE` prints each route's ratio against a saved run (for example the previous release measured
the same way).

`bomb`: uploads a 1 MB gzip bomb (about 1 GB of zeros once inflated), once alone and then
three at a time, and prints the server process's peak resident memory (VmHWM) before and
after (the issue's target: a bomb never takes more than about 50 MB).

Run: .venv/bin/python benchmarks/web_load.py [load|bomb] [--seconds 10] [--workers 1]
     [--users 50] [--years 5] [--driver auto|wrk|httpx] [--routes /,/plan] [--save FILE]
     [--baseline FILE]
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
    """`backstride serve --workers N` on a free loopback port."""
    port = free_port()
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "BACKSTRIDE_REGISTRATION": "open"}
    command = [sys.executable, "-m", "backstride", "serve", "--host", "127.0.0.1", "--port",
               str(port), "--workers", str(workers)]  # fmt: skip
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


def seed_history(home: Path, email: str, *, years: int, seed: int) -> None:
    """`years` of daily diary and about 200 runs a year for `email`, straight into the store.

    The kept check is moved back to the first day, so the whole diary counts.
    """
    import random
    from datetime import UTC, datetime

    from sqlalchemy import insert, select, update

    from backstride.config import Settings
    from backstride.services.store import close_stores, open_store
    from backstride.storage.account_tables import UserRow
    from backstride.storage.accounts import runner_of
    from backstride.storage.activity_tables import ActivityRow
    from backstride.storage.db import session_scope
    from backstride.storage.tracking import AssessmentRow, DiaryEntryRow

    rng = random.Random(seed)
    days = years * 365 + years // 4
    first = date.today() - timedelta(days=days)
    engine = open_store(Settings(home=home))  # its writes bump the server's data versions
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        user = session.scalars(select(UserRow).where(UserRow.email == email)).one()
        runner_id = runner_of(session, user).id
        began = datetime.combine(first, datetime.min.time(), UTC)
        session.execute(update(AssessmentRow).where(AssessmentRow.runner_id == runner_id)
                        .values(created_at=began))  # fmt: skip
        diary, runs = [], []
        for day in range(days):
            on = first + timedelta(days=day)
            pain = max(0, min(10, round(6 - 5 * day / days + rng.gauss(0, 1))))
            diary.append({"runner_id": runner_id, "at": datetime.combine(on, datetime.min.time())
                          + timedelta(hours=20), "pain_now": pain, "pain_worst": min(10, pain + 1),
                          "locations": ["low_back"], "leg_symptoms": False, "new_red_flags": [],
                          "exercises_done": [], "run_keys": [], "created_at": now})  # fmt: skip
            if rng.random() < 0.55:
                km = min(35.0, max(3.0, rng.gammavariate(4.0, 2.5)))
                start = datetime.combine(on, datetime.min.time(), UTC) + timedelta(hours=7)
                runs.append({"runner_id": runner_id, "sport": "running", "sub_sport": "street",
                             "start_time": start, "duration_s": km * 330, "moving_time_s":
                             km * 320, "distance_m": km * 1000, "avg_hr_bpm": 145.0,
                             "max_hr_bpm": 170.0, "avg_cadence_spm": 168.0,
                             "avg_speed_mps": 1000 / 330, "has_running_dynamics": False,
                             "records": int(km * 330), "source_format": "fit",
                             "source_hash": f"{seed:08x}{day:056x}", "name": "Morning run",
                             "surface": "street", "imported_at": now})  # fmt: skip
        session.execute(insert(DiaryEntryRow), diary)
        session.execute(insert(ActivityRow), runs)
    close_stores()


def server_cpu_s(pid: int) -> float:
    """User+system CPU seconds of the server process and every process below it."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(children.get(current, []))
    return total


async def hammer(base: str, users: list[httpx.Client], method: str, path: str, seconds: float
                 ) -> list[float]:  # fmt: skip
    """Latencies (s) of one loop per user (each on its own connection) for `seconds`."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def loop(user: httpx.Client) -> None:
        async with httpx.AsyncClient(base_url=base, cookies=user.cookies, headers=user.headers,
                                     timeout=60) as session:  # fmt: skip
            while time.perf_counter() < stop:
                began = time.perf_counter()
                if method == "POST":
                    response = await session.post(path, json=CASE)
                else:
                    response = await session.get(path)
                latencies.append(time.perf_counter() - began)
                if response.status_code >= 400:
                    failures.append(response.status_code)

    failures: list[int] = []
    await asyncio.gather(*(loop(user) for user in users))
    if failures:
        print(f"  {method} {path}: {len(failures)} failed requests (HTTP {sorted(set(failures))})")
    return latencies


async def once_each(base: str, users: list[httpx.Client], method: str, path: str) -> None:
    """Every user opens the page once, all at the same time (their first, uncached visit)."""

    async def visit(user: httpx.Client) -> None:
        async with httpx.AsyncClient(base_url=base, cookies=user.cookies, headers=user.headers,
                                     timeout=120) as session:  # fmt: skip
            await (session.post(path, json=CASE) if method == "POST" else session.get(path))

    await asyncio.gather(*(visit(user) for user in users))


#: wrk's script: every thread (one connection each) signs in as its own runner, the
#: sessions being listed above it by `wrk_script`; `done` prints the figures as JSON.
WRK_LUA = """
local next_session = 0
function setup(thread)
  next_session = next_session + 1
  local found = sessions[(next_session - 1) % #sessions + 1]
  thread:set("cookie", found[1])
  thread:set("csrf", found[2])
end
function init(args)
  wrk.method = method
  wrk.headers["Cookie"] = cookie
  wrk.headers["X-CSRF-Token"] = csrf
  if body ~= "" then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/json"
  end
end
function done(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %f, "failed": %d, "p50": %f, '
    .. '"p95": %f, "p99": %f}\\n', summary.requests, summary.duration / 1e6, failed,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3))
end
"""


def wrk_script(users: list[httpx.Client], method: str) -> str:
    """The Lua script for wrk: each user's session cookie and CSRF token, then WRK_LUA."""
    import json

    rows = []
    for user in users:
        cookie = "; ".join(f"{name}={value}" for name, value in user.cookies.items())
        rows.append(f"{{{json.dumps(cookie)}, {json.dumps(user.headers['X-CSRF-Token'])}}}")
    body = json.dumps(CASE) if method == "POST" else ""
    return (f"sessions = {{{', '.join(rows)}}}\nmethod = {json.dumps(method)}\n"
            f"body = {json.dumps(body)}\n{WRK_LUA}")  # fmt: skip


def hammer_wrk(base: str, users: list[httpx.Client], method: str, path: str, seconds: float,
               folder: Path) -> dict[str, float]:  # fmt: skip
    """The timed loop by wrk (one thread and connection per user): its figures in ms."""
    import json
    import shutil

    script = folder / f"load-{method.lower()}.lua"
    script.write_text(wrk_script(users, method))
    wrk = shutil.which("wrk") or "wrk"
    command = [wrk, "-t", str(len(users)), "-c", str(len(users)), "-d", f"{seconds:g}s",
               "--timeout", "60s", "-s", str(script), base + path]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["failed"]:
        print(f"  {method} {path}: {figures['failed']:.0f} failed requests")
    return figures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


ROUTES = [("GET", "/"), ("GET", "/diary"), ("GET", "/progress"), ("GET", "/plan"),
          ("GET", "/training"), ("GET", "/activities"), ("GET", "/api/v1/activities"),
          ("GET", "/api/v1/analysis"),
          ("GET", "/settings"), ("POST", "/api/v1/assessments")]  # fmt: skip


#: The figures of the version before per-runner caching (commit dca59d6), measured with this
#: script on the same shared 2-core machine (load-inflated): the baseline the ratios use
#: unless --baseline names a saved run. /progress then failed: its requests waited more than
#: 30 s for a database connection and got HTTP 500, so it has no row.
BEFORE_CACHING = {
    "GET /": {"rps": 30, "p50": 1568.1, "p95": 2477.0, "p99": 2570.2, "cpu_ms": 2.6},
    "GET /diary": {"rps": 13, "p50": 4149.7, "p95": 4993.7, "p99": 5788.7, "cpu_ms": 70.0},
}


def run_load(args: argparse.Namespace) -> None:
    import json

    baseline = json.loads(Path(args.baseline).read_text()) if args.baseline else BEFORE_CACHING
    driver = args.driver
    if driver == "auto":
        import shutil

        driver = "wrk" if shutil.which("wrk") else "httpx"
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="backstride-bench-") as scratch:
        home = Path(scratch) / "home"
        server, base = start_server(home, args.workers)
        try:
            began = time.perf_counter()
            users = []
            for number in range(args.users):
                email = f"runner{number}@example.org"
                users.append(sign_in(base, email))
                users[-1].post("/api/v1/assessments", json=CASE).raise_for_status()
                seed_history(home, email, years=args.years, seed=number)
            print(f"{args.users} users with {args.years} years of diary and runs each, "
                  f"seeded in {time.perf_counter() - began:.0f} s; {args.seconds:g} s per "
                  f"route, {args.workers} worker(s), driven by {driver}")  # fmt: skip
            head = f"{'route':<26} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            print(head + f"{'CPU ms/req':>10} {'cold CPU':>9}  vs before caching (p95, CPU)")
            for method, path in ROUTES:
                if args.routes and path not in args.routes.split(","):
                    continue
                if method == "GET" and users[0].get(path).status_code == 404:
                    print(f"{method + ' ' + path:<26} (no such page in this version)")
                    continue
                cpu = server_cpu_s(server.pid)
                asyncio.run(once_each(base, users, method, path))  # each user's first visit
                cold_ms = (server_cpu_s(server.pid) - cpu) * 1000 / len(users)
                cpu = server_cpu_s(server.pid)
                if driver == "wrk":
                    got = hammer_wrk(base, users, method, path, args.seconds, Path(scratch))
                    count = got["requests"]
                    row = {"rps": count / got["seconds"], "p50": got["p50"], "p95": got["p95"],
                           "p99": got["p99"]}  # fmt: skip
                else:
                    times = asyncio.run(hammer(base, users, method, path, args.seconds))
                    count = len(times)
                    row = {"rps": count / args.seconds, "p50": statistics.median(times) * 1000,
                           "p95": percentile(times, 0.95) * 1000,
                           "p99": percentile(times, 0.99) * 1000}  # fmt: skip
                cpu_ms = (server_cpu_s(server.pid) - cpu) * 1000 / count
                row |= {"cpu_ms": cpu_ms, "cold_cpu_ms": cold_ms}
                name = f"{method} {path}"
                results[name] = row
                line = (f"{name:<26} {row['rps']:>7.0f} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                        f"{row['p99']:>7.1f} {cpu_ms:>10.1f} {cold_ms:>9.1f}")  # fmt: skip
                if name in baseline:
                    then = baseline[name]
                    line += (f"  {then['p95'] / row['p95']:.1f}x faster "
                             f"(CPU {then['cpu_ms'] / cpu_ms:.1f}x)")  # fmt: skip
                print(line, flush=True)
                if args.save:
                    Path(args.save).write_text(json.dumps(results, indent=1))
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
    parser.add_argument("--users", type=int, default=CONNECTIONS)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument(
        "--driver",
        default="auto",
        choices=["auto", "wrk", "httpx"],
        help="the timed loop's client: wrk when installed (auto), else httpx",
    )
    parser.add_argument("--routes", help="only these paths, comma-separated (e.g. /,/plan)")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="a JSON file from --save to compare with")
    args = parser.parse_args()
    if args.mode == "bomb":
        run_bomb()
    else:
        run_load(args)


if __name__ == "__main__":
    main()
