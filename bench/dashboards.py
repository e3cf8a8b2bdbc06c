"""Dashboards benchmark: each dashboard's response time, cold and warm cache, against a bare view.

Run with `.venv/bin/python bench/dashboards.py` (or `make bench-dashboards`). It makes a throwaway
PostgreSQL database (dropped at the end), fills it with 100,000 applications shaped like a wave
of calls (heavy-tailed by country, every status, histories, assignments, reviews and scores),
and requests each dashboard through Django's full middleware stack with a signed-in EC observer.
Without PostgreSQL it falls back to a temporary SQLite file. See bench/README.md.

"first" is the very first request for a dashboard, with no stored figures (computed during
the request, once); "cold" is a request right after the cache was flushed (the stored figures
read from the database, drawn afresh); "stale" right after a change marked the figures stale
(served as they are, with their time, while the background refresh waits for its turn); "warm"
the same request with the drawing cached. "bare" is a view returning a fixed text through the
same middleware, the same session and the same client, in the same run, measured between the
dashboards' requests. The background refresh of every standard dashboard is timed too.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboards_data import fill  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
NAME = f"jane_bench_dashboards_{os.getpid()}"
TARGET = 30  # issue 12: a warm dashboard at >= 30 % of the bare view's req/s under gunicorn


def _database_url() -> tuple[str, callable]:
    """A fresh database and how to drop it: PostgreSQL if it answers, else a SQLite file."""
    try:
        import psycopg2

        admin = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=3)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{NAME}"')

        def drop():
            from django.db import connections

            connections.close_all()
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
            admin.close()

        return f"{SERVER}/{NAME}", drop
    except Exception as error:  # no server: the fallback still measures the code paths
        print(f"PostgreSQL unavailable ({error.__class__.__name__}); using SQLite.")
        folder = tempfile.mkdtemp(prefix="jane-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # Django's test client speaks plain HTTP
    os.environ["CACHE_KEY_PREFIX"] = NAME  # a shared Redis keeps this run's keys apart
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jane_portal.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    # The site's addresses plus the bare view, measured through the same stack.
    from django.http import HttpResponse
    from django.urls import clear_url_caches, include, path

    def bare(request):
        return HttpResponse("ok", content_type="text/plain")

    urls = types.ModuleType("bench_dashboards_urls")
    urls.urlpatterns = [path("bench/bare/", bare), path("", include("jane_portal.urls"))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    clear_url_caches()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _time(client, url: str, repeat: int, before=None) -> tuple[float, int]:
    """Median milliseconds of `repeat` GETs, and the queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        times.append(1000 * elapsed)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def _cache_flush() -> None:
    """Forget the dashboards' drawings (only this run's keys: the Redis may be shared)."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("dashboards:*")
    else:
        cache.clear()


ROW = "{:<36} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7} {:>7}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--cold", type=int, default=5, help="cold and stale requests each")
    parser.add_argument("--warm", type=int, default=30, help="warm requests per dashboard")
    parser.add_argument("--quick", action="store_true", help="10,000 applications, fewer runs")
    parser.add_argument("--profile", action="store_true", help="profile one warm request")
    parser.add_argument(
        "--no-server", action="store_true", help="skip the warm share under gunicorn and wrk"
    )
    args = parser.parse_args()
    if args.quick:
        args.applications, args.cold, args.warm = min(args.applications, 10_000), 3, 15
    if not args.no_server and not (shutil.which("wrk") and os.environ.get("REDIS_URL")):
        raise SystemExit(
            "The share under gunicorn needs wrk (apt-get install -y wrk) and REDIS_URL (the "
            "bench and the server share sessions and the cache); or pass --no-server."
        )
    started = time.perf_counter()
    url, drop = _database_url()
    try:
        _setup(url)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from dashboards.models import FigureSnapshot
        from dashboards.scope import Scope
        from dashboards.services import figures_mark_changed, figures_refresh

        step = time.perf_counter()
        _migrate()
        print(f"Migrated {connection.vendor} database in {time.perf_counter() - step:.0f} s.")
        step = time.perf_counter()
        data = fill(args.applications, args.seed)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        print(
            f"Made {data['applications']:,} applications, {data['changes']:,} status changes, "
            f"{data['assignments']:,} assignments, {data['reviews']:,} reviews "
            f"in {time.perf_counter() - step:.0f} s. "
            f"Cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}. "
            f"Load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}."
        )
        step = time.perf_counter()
        refreshed = figures_refresh(force=True, missing=True)
        refresh_s = time.perf_counter() - step
        print(
            f"Background refresh (a Celery task, off any request): {refreshed} dashboards "
            f"computed in {refresh_s:.1f} s."
        )
        client = Client()
        client.force_login(data["observer"])
        network, call = data["network"], data["call"]
        period = "?start=2000-01-01&end=2100-12-31"
        dashboards = [
            ("overview (Joint Action)", reverse("dashboards:overview"), Scope()),
            (
                f"network: {network.short_name}",
                reverse("dashboards:network", args=[network.slug]),
                Scope(network=network),
            ),
            (
                f"call: {call.title}",
                reverse("dashboards:call", args=[call.slug]),
                Scope(network=call.network, call=call),
            ),
            (
                "overview, period filter",
                reverse("dashboards:overview") + period,
                Scope(start=datetime.date(2000, 1, 1), end=datetime.date(2100, 12, 31)),
            ),
            (
                "overview CSV: countries",
                reverse("dashboards:overview_csv", args=["countries"]),
                Scope(),
            ),
        ]
        bares = []
        served = []  # for bench.pages.measure: each dashboard's address and its warm queries

        def bare() -> float:
            ms, _queries = _time(client, "/bench/bare/", 20)
            bares.append(ms)
            return ms

        bare()
        print()
        header = ROW.format(
            "request", "first ms", "cold ms", "stale ms", "warm ms", "bare ms", "warm/bare",
            "q first", "q cold", "q warm",
        )  # fmt: skip
        print(header)
        print("-" * len(header))
        for label, path, scope in dashboards:

            def forget(scope=scope):
                FigureSnapshot.objects.filter(scope_key=scope.cache_key).delete()
                _cache_flush()

            first_ms, first_q = _time(client, path, 1, before=forget)
            bare()
            cold_ms, cold_q = _time(client, path, args.cold, before=_cache_flush)
            bare()
            stale_ms, _stale_q = _time(client, path, args.cold, before=figures_mark_changed)
            _time(client, path, 1)  # the drawing of the stale figures is cached now
            reference = bare()
            warm_ms, warm_q = _time(client, path, args.warm)
            reference = statistics.median([reference, bare()])
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(client.get, path)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            print(
                ROW.format(
                    label[:36], f"{first_ms:.0f}", f"{cold_ms:.1f}", f"{stale_ms:.1f}",
                    f"{warm_ms:.1f}", f"{reference:.2f}", f"{100 * reference / warm_ms:.0f} %",
                    first_q, cold_q, warm_q,
                )
            )  # fmt: skip
            served.append({"label": label, "url": path, "queries": warm_q, "target": TARGET})
        print(
            f"\nBare view over the run: median {statistics.median(bares):.2f} ms "
            f"(from {min(bares):.2f} to {max(bares):.2f}). "
            f"Load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}."
        )
        if not args.no_server:
            _served(
                served, url, client, rounds=2 if args.quick else 3, seconds=2 if args.quick else 4
            )
        print(f"Whole benchmark: {time.perf_counter() - started:.0f} s.\n")
        print(NOTES.format(n=args.applications, cold=args.cold, warm=args.warm))
    finally:
        drop()


def _served(dashboards: list[dict], database_url: str, client, *, rounds: int, seconds: int):
    """The warm dashboards' req/s under gunicorn against the bare project's, as bench/pages.py
    measures every page (its helpers): the same database, Redis, cache keys and session."""
    from django.conf import settings
    from django.db import connections

    from bench import pages
    from tests.chaos.services import stop_everything

    cookie_of = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    for dashboard in dashboards:
        dashboard["cookie"] = cookie_of
    folder = Path(tempfile.mkdtemp(prefix="jane-bench-dashboards-"))
    env = pages.environment(folder, database_url, os.environ["REDIS_URL"])
    env["CACHE_KEY_PREFIX"] = NAME  # this run's session and drawings
    env["STATIC_ROOT"] = str(settings.STATIC_ROOT)  # collected already: the pages above used it
    connections.close_all()
    try:
        portal, bare = pages.serve(folder, env)
        for dashboard in dashboards:  # warm: the requests above left some drawings out of date
            warm = urllib.request.Request(portal + dashboard["url"], headers={"Cookie": cookie_of})
            with urllib.request.urlopen(warm, timeout=120) as response:
                assert response.status == 200, (dashboard["url"], response.status)
        pages.measure(dashboards, portal, bare, rounds, seconds, 4)
    finally:
        stop_everything()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nUnder gunicorn (2 sync workers each, wrk 4 connections, {rounds} x {seconds} s):")
    print(pages.table(dashboards))
    print(f"Load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}.")


NOTES = """\
What the columns are ({n:,} applications; medians; requests through Django's test client, full
middleware stack, a signed-in EC observer; no network or web server in between):
- first ms: the first request ever for that dashboard, with no stored figures: computed during
  the request, once (concurrent requests wait for it). The standard dashboards (the Joint
  Action, each network, each call) are stored by the background refresh before anyone asks;
  a period is computed on its first request, then refreshed in the background for a day.
- cold ms: right after the dashboards' cache was flushed (a Redis restart): the stored figures
  are read from the database and drawn again (median of {cold}).
- stale ms: right after a change marked the figures stale: served as they are, said to be
  stale, while the refresh waits for its interval (median of {cold}).
- warm ms: the drawing cached too (median of {warm}).
- bare ms: the bare view measured just before and after the warm requests; warm/bare is the
  dashboard's share of the bare view's speed (bare time / warm time; 100 % = as fast).
- q first, q cold, q warm: SQL queries the request ran: the same whatever the data size.
Then (unless --no-server) the warm dashboards under gunicorn, as bench/pages.py measures pages:
req/s with wrk against the bare project's just before, their share and issue 12's target."""


if __name__ == "__main__":
    main()
