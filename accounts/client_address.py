"""The client's address as the portal's own proxies saw it, for the sign-in limits.

X-Forwarded-For is written by every proxy a request passes, each appending the address it was
reached from; anything left of our own proxies' entries was written by the client and proves
nothing. So with TRUSTED_PROXY_COUNT proxies of our own in front, the client is the entry that
many places from the right; with none (the default) the header is ignored and the peer address
(REMOTE_ADDR) is the client. A header shorter than the count (a request that came in past one
of the proxies) gives its leftmost entry, which one of ours wrote. An entry that is not an
address is ignored, never an error.
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address the request came from, as the trusted proxies saw it."""
    peer = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if count <= 0 or not forwarded.strip():
        return peer
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return peer
    return _address(entries[-min(count, len(entries))]) or peer
