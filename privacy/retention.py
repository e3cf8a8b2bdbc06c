"""The retention rule of "Download my data" (erasure/retention.py): a request whose link expired
more than `RETENTION_RULES["data_exports"]["after_days"]` ago, or that failed to build that long
ago, is deleted with its archive.

Beat removes an expired archive's file within the hour (`exports_expire`) and keeps the row, so
the person's page still says the copy expired; this rule ends the row too, after the grace
period. Registered from `PrivacyConfig.ready()`: privacy sits above erasure, which knows it not.
"""

from collections.abc import Iterable

from django.db.models import Q

from erasure.retention import Item, RetentionRule, retention_rule_register
from privacy.enums import ExportStatus
from privacy.models import DataExport
from privacy.services.exports import export_delete

RULE = "data_exports"


def _exports_past_their_time(cutoff) -> Iterable[Item]:
    rows = DataExport.objects.filter(
        Q(expires_at__lt=cutoff) | Q(status=ExportStatus.FAILED, requested_at__lt=cutoff)
    )
    for pk in rows.order_by("pk").values_list("pk", flat=True):
        yield Item(f"data export #{pk}", lambda report, pk=pk: export_delete(export_id=pk))


retention_rule_register(
    RetentionRule(
        RULE,
        '"Download my data" requests whose link expired (or whose build failed) more than the '
        "period ago: deleted with their archive.",
        _exports_past_their_time,
    )
)
