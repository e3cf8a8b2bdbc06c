"""Pages benchmark: each page's requests per second under gunicorn, against a bare Django view.

Run with `.venv/bin/python bench/pages.py` (or `make bench-pages`); `--quick` for a short run.
It starts a PostgreSQL and a Redis of its own on free ports (tests/chaos/services), fills the
database with the demo data (`seed_demo`), collects the static files, and serves the portal with
gunicorn (2 sync workers, DEBUG=0, the production settings) and, on another port with the same
gunicorn settings, the bare project in bench/bare/ (one view returning "hello", Django's default
middleware). Then, for each page, as the role that sees it, it loads the bare view and the page
with wrk in turn, for several rounds, and prints one table: requests per second, p50 and p99
latency, SQL queries per request (counted once, in this process, with CaptureQueriesContext),
and the page's share of the bare view's requests per second measured just before it.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chaos.services import (  # noqa: E402 (the repository on the path first)
    Postgres,
    Process,
    Redis,
    ServiceError,
    free_port,
    stop_everything,
    tail,
    wait_for,
)

DATABASE = "jane_bench_pages"
# (label, role, address or how to find it, the target share of the bare view)
PAGES = [
    ("home", None, "/", 30),
    ("/calls/", None, "/calls/", 30),
    ("a call", None, ("/calls/", r'href="(/calls/[\w-]+/)"'), 30),
    ("a network", None, ("/", r'href="(/networks/[\w-]+/)"'), 30),
    ("login page", None, "/accounts/login/", 10),
    ("/dashboards/ (warm)", "observer", "/dashboards/", 8),
    ("/applications/", "applicant", "/applications/", 8),
    ("a section page", "applicant", "section", 8),
    ("/reviews/", "reviewer", "/reviews/", 8),
    ("/endorsements/", "endorser-it", "/endorsements/", 8),
    ("/board/", "board", "/board/", 8),
    ("a board call", "board", ("/board/", r'href="(/board/calls/\d+/)"'), 8),
    ("admin applications", "coordinator", "/admin/applications/application/", 3),
]


def environment(folder: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """The portal's environment under gunicorn: production settings, DEBUG=0, plain HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "CELERY_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": "",
            "SECRET_KEY": "bench-pages-only-secret-key",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",  # wrk and the test client speak plain HTTP
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "CACHE_KEY_PREFIX": "bench",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _gunicorn(name: str, app: str, port: int, folder: Path, env: dict) -> Process:
    """The same gunicorn settings for the portal and the bare project: 2 sync workers."""
    argv = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", "2", "--worker-class", "sync", "--timeout", "60"]
    return Process(name, argv, log=folder / f"{name}.log", env=env).start()


def serve(folder: Path, env: dict) -> tuple[str, str]:
    """The portal (with `env`) and the bare project under gunicorn on free ports, once both
    answer: their base URLs. Stopped by tests.chaos.services.stop_everything()."""
    portal_port, bare_port = free_port(), free_port()
    web = _gunicorn("portal", "jane_portal.wsgi", portal_port, folder, env)
    bare_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare = _gunicorn("bare", "bench.bare.wsgi", bare_port, folder, bare_env)
    for process, port in ((web, portal_port), (bare, bare_port)):
        if wait_for(lambda p=port: _wrk_ready(p), 60, step=0.2) is None:
            raise ServiceError(f"{process.name} did not serve:\n" + tail(process.log))
    return f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{bare_port}/"


def _prepare(scale: float) -> None:
    """Migrate, seed the demo data, collect the static files; everyone gets an authenticator app;
    the dashboards' figures stored."""
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", scale=scale, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0)
    # Every role but applicants must have two-factor authentication set up before any page
    # opens to them (MFA_REQUIRED_ROLES), staff for the admin too; force_login asks no code.
    for user in User.objects.all():
        TOTP.activate(user, generate_totp_secret())
    # No Celery worker runs here: store the dashboards' figures as its background refresh does
    # after the seeding changed them, or every observer's page would be drawn as stale.
    from dashboards.services import figures_refresh

    figures_refresh(force=True, missing=True)


def _resolve() -> list[dict]:
    """Each page's address and session cookie, and its SQL queries (one request, in-process)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    clients: dict[str | None, Client] = {None: Client()}
    pages = []
    for label, role, where, target in PAGES:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(User.objects.get(email=f"{role}@demo.jane.eu"))
        client = clients[role]
        if where == "section":
            mine = client.get("/applications/").content.decode()
            detail = re.search(r'href="(/applications/[0-9a-f-]{36}/)"', mine).group(1)
            page = client.get(detail).content.decode()
            url = re.search(r'href="(/applications/[0-9a-f-]{36}/sections/\d+/)"', page).group(1)
        elif isinstance(where, tuple):
            url = re.search(where[1], client.get(where[0]).content.decode()).group(1)
        else:
            url = where
        client.get(url)  # warm: caches filled, as on a busy day
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        pages.append(
            {
                "label": label,
                "url": url,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie.value}" if role else None,
                "queries": len(queries),
                "target": target,
            }
        )
    from django.db import connections

    connections.close_all()
    return pages


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, cookie: str | None, seconds: float, connections: int) -> dict:
    """requests per second, p50 and p99 in ms, and failed requests, from one wrk run."""
    argv = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    argv += ["-H", "Accept-Language: en", "--timeout", "10s"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout

    def latency(share: str) -> float:
        value, unit = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * _UNITS[unit]

    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed += sum(int(n) for n in errors.groups()) if errors else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "failed": failed,
    }


def measure(pages: list[dict], portal: str, bare: str, rounds: int, seconds: float, conns: int):
    """wrk on the bare view, then on each page (its "url" and "cookie"), for `rounds` rounds:
    each page's "runs" (req/s, p50, p99, failed, the bare req/s and the share)."""
    for page in pages:
        page["runs"] = []
    for number in range(1, rounds + 1):
        for page in pages:
            reference = _wrk(bare, None, seconds, conns)
            result = _wrk(portal + page["url"], page["cookie"], seconds, conns)
            result["share"] = 100 * result["rps"] / reference["rps"]
            result["bare"] = reference["rps"]
            page["runs"].append(result)
        print(f"round {number}/{rounds} done", flush=True)


def table(pages: list[dict]) -> str:
    """The Markdown table of measured pages (each with \"label\", \"queries\", \"target\")."""
    head = ("page", "req/s", "p50 ms", "p99 ms", "queries", "bare req/s", "share", "target", "")
    rows = []
    for page in pages:
        runs = page["runs"]
        median = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99", "bare")}
        share = statistics.median(r["share"] for r in runs)
        low, high = min(r["share"] for r in runs), max(r["share"] for r in runs)
        failed = sum(r["failed"] for r in runs)
        rows.append(
            (
                page["label"],
                f"{median['rps']:.0f}",
                f"{median['p50']:.1f}",
                f"{median['p99']:.1f}",
                str(page["queries"]),
                f"{median['bare']:.0f}",
                f"{share:.1f} % ({low:.1f}-{high:.1f})",
                f">= {page['target']} %",
                ("ok" if share >= page["target"] else "below")
                + (f", {failed} failed" if failed else ""),
            )
        )
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    out = [line.format(*head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line.format(*row) for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 s per load, 2 rounds")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None, help="each wrk run's duration")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0, help="seed_demo's --scale")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 3)
    seconds = args.seconds or (2 if args.quick else 4)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench-pages does)")

    folder = Path(tempfile.mkdtemp(prefix="jane-bench-pages-"))
    folder.chmod(0o755)  # the postgres user reaches its cluster inside
    postgres = Postgres(folder / "postgres", free_port())
    redis = Redis("redis", folder / "redis", free_port())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        postgres.init(DATABASE)
        redis.start()
        env = environment(folder, postgres.url(DATABASE), redis.url(0))
        os.environ.update(env)
        _prepare(args.scale)
        pages = _resolve()
        portal_url, bare_url = serve(folder, env)
        measure(pages, portal_url, bare_url, rounds, seconds, args.connections)
        print()
        print(table(pages))
        print()
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{rounds} rounds of {seconds:g} s per page and per bare run, wrk with")
        cores = os.cpu_count()
        print(f"{args.connections} connections; gunicorn 2 sync workers each; {cores} cores.")
        print(f"Load average after the run (1, 5, 15 min): {load}")
        print("share: the page's req/s over the bare view's measured just before it; the median")
        print("over the rounds, (lowest-highest). queries: SQL per request, warm, counted once.")
    finally:
        stop_everything()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"Run folder kept: {folder}")


def _wrk_ready(port: int) -> bool:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        return response.status == 200


if __name__ == "__main__":
    main()
