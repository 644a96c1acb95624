"""The site on loopback for the load test: gunicorn, and a Celery worker with Redis.

With a Redis URL, the web processes send their tasks to a queue of the run's own and
one Celery worker process computes the aggregations beside them, as in production (the
Procfile). Without one, the aggregation a submit asks for runs inside the request.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
READY_SECONDS = 60


def free_port() -> int:
    """A loopback port nothing listens on (at the moment of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Site:
    base_url: str
    # How the aggregations run: "Celery worker on Redis" or "inside the submit request".
    tasks: str
    # CPU time (user + system) of gunicorn with its workers and of the Celery worker;
    # known once they have stopped.
    web_cpu: float = 0.0
    worker_cpu: float = 0.0


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def _cpu_of(pid: int) -> float:
    """CPU seconds of a process, its live children, and the children it waited for."""
    ticks = 0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid]
    with suppress(OSError):
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            stat = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime and cstime: fields 14 to 17 of stat.
        ticks += sum(int(value) for value in stat[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def _process(command: list[str], env: dict, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (tools of this venv)
            command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def site(
    *,
    database_url: str,
    workers: int,
    threads: int,
    log_dir: Path,
    redis_url: str = "",
) -> Iterator[Site]:
    """Serve the site; yields where and how, and its CPU time once stopped.

    Production settings (DEBUG off, a secret key of its own) over plain http: the
    cookies are not marked secure.
    """
    queue = f"gnv-load-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        "CELERY_QUEUE": queue,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    port = free_port()
    served = Site(
        f"http://127.0.0.1:{port}",
        "Celery worker on Redis" if redis_url else "inside the submit request",
    )
    web = [
        _tool("gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--no-control-socket",
        "--error-logfile",
        "-",
    ]
    worker = [
        _tool("celery"),
        "-A",
        "config",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "1",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"{queue}@%h",
    ]
    cpu = {"web": 0.0, "worker": 0.0}
    try:
        with ExitStack() as stack:
            processes = {}
            if redis_url:
                processes["worker"] = stack.enter_context(
                    _process(worker, env, log_dir / "worker.log")
                )
            processes["web"] = stack.enter_context(
                _process(web, env, log_dir / "gunicorn.log")
            )
            _wait_until_serving(served.base_url, processes["web"], log_dir)
            try:
                yield served
            finally:  # measured while the processes run, with their children
                for name, process in processes.items():
                    cpu[name] = _cpu_of(process.pid)
    finally:
        served.web_cpu, served.worker_cpu = cpu["web"], cpu["worker"]
        if redis_url:
            _delete_queue(redis_url, queue)


def _delete_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    client.close()


def _wait_until_serving(base_url: str, process: subprocess.Popen, logs: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited:\n{(logs / 'gunicorn.log').read_text()}"
            )
        try:
            with urllib.request.urlopen(  # noqa: S310 (our own loopback server)
                f"{base_url}/konto/logga-in/", timeout=5
            ) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not serve within {READY_SECONDS} s")
