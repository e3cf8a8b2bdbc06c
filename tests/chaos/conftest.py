"""The fault suite brings its own PostgreSQL, Redis and SMTP, in a process of its own: the
suite-wide fixtures that empty the shared Redis or reseed the test database are not for it."""

from tests.own_services import _clear_cache, _private_media, _seeded_structure

__all__ = ["_clear_cache", "_private_media", "_seeded_structure"]
