"""Background work: Celery, the transactional outbox, the dashboards' refresh, beat's schedule."""

from jane_portal.settings.base import env

# Without a broker, tasks run in-process so `make run` needs nothing else; with one, workers do.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# A message a worker took and did not acknowledge (the worker died) is handed out again after
# this many seconds. Nothing waits for it: the outbox sweep redoes the work within
# OUTBOX_SWEEP_SECONDS, and the redelivered copy then finds nothing left to do.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": 2,
}
# Publishing to a broker that is down gives up quickly: the request that asked goes on, and the
# outbox sweep delivers the work once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The transactional outbox (outbox/): every side effect outside the database is written with
# the change that calls for it and performed after the commit, retried until it is done.
OUTBOX_RETRY_FOR = env.int("OUTBOX_RETRY_FOR", default=3 * 24 * 3600)  # seconds
OUTBOX_BACKOFF_BASE = env.float("OUTBOX_BACKOFF_BASE", default=30.0)  # first wait, seconds
OUTBOX_BACKOFF_MAX = env.float("OUTBOX_BACKOFF_MAX", default=3600.0)  # longest wait, seconds
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=10.0)
OUTBOX_KICK_PAUSE = env.float("OUTBOX_KICK_PAUSE", default=5.0)  # after a refused kick
OUTBOX_KEEP_DONE_DAYS = env.int("OUTBOX_KEEP_DONE_DAYS", default=30)
# An email is sent outside any transaction, under a lease that keeps other relays away; a relay
# that dies while it holds one is replaced when the lease ends.
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=20.0)
# After an email left, how long to keep trying to record it while the database is unreachable.
OUTBOX_RECORD_RETRY_SECONDS = env.float("OUTBOX_RECORD_RETRY_SECONDS", default=120.0)

# The dashboards' figures are recomputed in the background when their inputs change, at most
# once in this many seconds; pages show the stored ones, with their time, meanwhile.
DASHBOARD_REFRESH_SECONDS = env.float("DASHBOARD_REFRESH_SECONDS", default=60.0)

CELERY_BEAT_SCHEDULE = {
    # The dashboards' stale figures, if a refresh was not asked for or came too soon.
    "dashboards-refresh": {
        "task": "dashboards.tasks.figures_refresh_task",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        "kwargs": {"missing": True},
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    # Items whose kick was lost (broker down, worker killed), and items due for a retry.
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep_task",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": OUTBOX_SWEEP_SECONDS},
    },
    "outbox-purge": {"task": "outbox.tasks.outbox_purge_task", "schedule": 24 * 3600.0},
    # Reviewers whose review is due within three days are reminded, once.
    "review-reminders": {"task": "reviews.tasks.review_reminders_task", "schedule": 3600.0},
    # Paused assignments of drafts past their deadline end, giving the reviewers' places back.
    "paused-assignments-lapse": {
        "task": "reviews.tasks.paused_assignments_lapse_task",
        "schedule": 3600.0,
    },
    # National endorsers of applications still awaiting them, three days before it closes.
    "endorsement-reminders": {
        "task": "endorsements.tasks.endorsement_reminders_task",
        "schedule": 3600.0,
    },
    # Retention rules (erasure/retention.py): a report every day; only rules marked apply erase.
    "retention": {"task": "erasure.tasks.retention_task", "schedule": 24 * 3600.0},
    # "Download my data" archives whose link has expired are removed.
    "data-exports-expire": {"task": "privacy.tasks.data_exports_expire_task", "schedule": 3600.0},
    # Requests for information whose due date passed without an answer are closed.
    "information-requests-lapse": {
        "task": "applications.tasks.information_requests_lapse_task",
        "schedule": 300.0,
    },
}
