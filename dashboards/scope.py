"""What a dashboard covers: the whole Joint Action, one network or one call, over a period."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from applications.models import Application
from calls.models import Call
from networks.models import Network


@dataclass(frozen=True)
class Scope:
    network: Network | None = None
    call: Call | None = None
    start: datetime.date | None = None  # first day of the period, in the scope's time zone
    end: datetime.date | None = None  # last day of the period, included

    @property
    def time_zone(self) -> str:
        """A call's own zone; the Joint Action's default zone for networks and the overview."""
        return self.call.time_zone if self.call else settings.DEFAULT_CALL_TIME_ZONE

    @property
    def cache_key(self) -> str:
        return ":".join(
            [
                f"n{self.network.pk if self.network else '-'}",
                f"c{self.call.pk if self.call else '-'}",
                self.start.isoformat() if self.start else "-",
                self.end.isoformat() if self.end else "-",
            ]
        )

    def _instant(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), zoneinfo.ZoneInfo(self.time_zone))

    def applications(self) -> QuerySet[Application]:
        """The applications covered. The period holds an application's last submission, or for
        one never submitted, the day it was started."""
        queryset = Application.objects.all()
        if self.call is not None:
            queryset = queryset.filter(call=self.call)
        elif self.network is not None:
            queryset = queryset.filter(call__network=self.network)
        if self.start or self.end:
            queryset = queryset.alias(period_at=Coalesce(F("submitted_at"), F("created_at")))
        if self.start:
            queryset = queryset.filter(period_at__gte=self._instant(self.start))
        if self.end:
            after = self.end + datetime.timedelta(days=1)
            queryset = queryset.filter(period_at__lt=self._instant(after))
        return queryset

    def networks(self) -> QuerySet[Network]:
        if self.call is not None:
            return Network.objects.filter(pk=self.call.network_id)
        if self.network is not None:
            return Network.objects.filter(pk=self.network.pk)
        return Network.objects.all()

    def calls(self) -> QuerySet[Call]:
        if self.call is not None:
            return Call.objects.filter(pk=self.call.pk)
        if self.network is not None:
            return Call.objects.filter(network=self.network)
        return Call.objects.all()
