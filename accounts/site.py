"""The site django.contrib.sites holds (SITE_ID), named from the settings after every migrate.

allauth's emails begin "Hello from {{ current_site.name }}!" and sign off with its domain. With
no site framework it takes both from the request's host ("127.0.0.1:8000"); with the framework,
from the Site row, which Django creates as "example.com". Here the row follows SITE_NAME and the
host of SITE_URL: `manage.py migrate`, which every deployment runs before it starts (`make
production` does), rewrites it, so a changed setting is in force after the next start.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_domain() -> str:
    """The public host (with its port, if SITE_URL names one) of SITE_URL."""
    return urlsplit(settings.SITE_URL).netloc or settings.SITE_URL


def site_configure(*, using: str = "default") -> None:
    """Make the current site carry SITE_NAME and SITE_URL's host (idempotent)."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"name": settings.SITE_NAME, "domain": site_domain()}
    )
    Site.objects.clear_cache()
