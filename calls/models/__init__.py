"""The calls app's models: criteria sets (criteria.py) and calls with what they hold (call.py)."""

from calls.models.call import (
    Call,
    CallQuerySet,
    RequiredDocument,
    SuspensionPeriod,
    default_formats,
    default_tiers,
    default_time_zone,
    validate_time_zone,
)
from calls.models.criteria import CriteriaSection, CriteriaSet, Criterion

__all__ = [
    "Call",
    "CallQuerySet",
    "CriteriaSection",
    "CriteriaSet",
    "Criterion",
    "RequiredDocument",
    "SuspensionPeriod",
    "default_formats",
    "default_tiers",
    "default_time_zone",
    "validate_time_zone",
]
