"""The LOGGING setting: Django's console format by default, one JSON object per line with
LOG_FORMAT=json. Every record (Django's, Celery's, the portal's) goes through structlog's
ProcessorFormatter, which adds the request id and the task bound to the log context."""

import structlog

# What each JSON line carries beside the message ("event"): the level, the logger, an ISO time
# in UTC, and whatever is bound (request_id, task, task_id, outbox_item, outbox_kind).
SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    # Django's request records carry the status code (their `request` object is not kept).
    structlog.stdlib.ExtraAdder(allow=["status_code"]),
]


def logging_config(*, log_format: str, level: str) -> dict:
    """The dictConfig for this process's log format and root level."""
    if log_format != "json":
        return {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["console"], "level": level},
        }
    structlog.configure(
        processors=[*SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": json_formatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
    }


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    """One JSON object per record, the log context merged in (also set on Celery's handlers)."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
