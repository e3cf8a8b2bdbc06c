"""Where browsers report what the Content Security Policy refused: each report is logged.

A refusal on a page of the portal means either an attack stopped or a page of ours broken by the
policy (an inline script or style attribute that slipped in): either way the operators want to
see it. The endpoint takes both formats browsers send: `report-uri`'s
`application/csp-report` ({"csp-report": {...}}) and the Reporting API's
`application/reports+json` ([{"type": "csp-violation", "body": {...}}, ...]). It writes nothing to
the database and touches no connection; anyone may post to it (a report comes with no CSRF
token), so what it logs is bounded: a small body, a few fields, each cut short.
"""

import json
import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("jane_portal.csp")

MAX_BODY_BYTES = 16 * 1024
MAX_REPORTS = 10
MAX_FIELD_CHARS = 300
# The fields worth logging, under report-uri's names; the Reporting API's camelCase names map here.
FIELDS = {
    "document-uri": "documentURL",
    "violated-directive": "effectiveDirective",
    "effective-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "column-number": "columnNumber",
    "script-sample": "sample",
    "disposition": "disposition",
}


def _violations(payload) -> list[dict]:
    """The violation bodies in a report of either format; [] for anything else."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            {name: item["body"].get(camel) for name, camel in FIELDS.items()}
            for item in payload[:MAX_REPORTS]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text[:MAX_FIELD_CHARS]


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each violation reported; 204 when logged, 400 for a body that is not a report."""
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(json.loads(request.body))
    except (UnicodeDecodeError, ValueError):
        violations = []
    if not violations:
        return HttpResponse(status=400)
    for violation in violations:
        fields = {
            name: _short(violation[name])
            for name in FIELDS
            if violation.get(name) not in (None, "")
        }
        logger.warning("Content Security Policy violation: %s", fields, extra={"csp": fields})
    return HttpResponse(status=204)
