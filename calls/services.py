"""Calls: who may apply, suspending a call, and the life of a criteria set."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from calls import schedule
from calls.models import Call, CriteriaSet, SuspensionPeriod
from networks.country_groups import country_group
from networks.enums import CountryGroup, InstitutionType
from networks.models import Institution, Network


@dataclass(frozen=True)
class Eligibility:
    """Whether an institution may apply to a call, with every reason it may not."""

    reasons: list[str] = field(default_factory=list)

    @property
    def is_eligible(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:
        return self.is_eligible


def call_eligibility(*, call: Call, institution: Institution) -> Eligibility:
    """Check an institution against a call's admitted countries and institution types."""
    reasons = []
    groups = call.admitted_country_groups
    countries = {country.code for country in call.admitted_countries}
    if groups or countries:
        code = institution.country.code
        group = country_group(code)
        if group not in groups and code not in countries:
            reasons.append(
                _("Institutions from %(country)s (%(group)s) are not admitted by this call.")
                % {"country": institution.country.name, "group": CountryGroup(group).label}
            )
    types = call.admitted_institution_types
    if types and institution.type not in types:
        reasons.append(
            _("Institution type “%(type)s” is not admitted by this call.")
            % {"type": InstitutionType(institution.type).label}
        )
    return Eligibility(reasons=reasons)


@transaction.atomic
def call_suspend(
    *,
    call: Call,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
) -> SuspensionPeriod:
    """Pause a call; its deadline moves later by the suspension's length."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    pauses = [schedule.Pause(s.starts_at, s.ends_at) for s in call.suspensions.all()]
    schedule.validate_pauses(
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        pauses=[*pauses, schedule.Pause(starts_at, ends_at)],
    )
    return SuspensionPeriod.objects.create(
        call=call, starts_at=starts_at, ends_at=ends_at, reason=reason
    )


def criteria_set_lock(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """Lock a criteria set against change; idempotent. Called when an application is submitted."""
    updated = CriteriaSet.objects.filter(pk=criteria_set.pk, locked_at__isnull=True).update(
        locked_at=timezone.now()
    )
    if updated:
        criteria_set.refresh_from_db(fields=["locked_at"])
    return criteria_set


@transaction.atomic
def criteria_set_new_version(
    *, criteria_set: CriteriaSet, network: Network | None = None
) -> CriteriaSet:
    """Copy a criteria set, its sections and criteria, as the next unlocked version.

    The copy belongs to the same network as the set, or, when a shared set (no network) is
    copied for one network's calls, to `network`. A network's set is never copied into another.
    """
    if network is not None and criteria_set.network_id not in (None, network.pk):
        raise ValidationError(_("A network's criteria set is copied for that network only."))
    latest = CriteriaSet.objects.filter(name=criteria_set.name).aggregate(Max("version"))
    copy = CriteriaSet.objects.create(
        name=criteria_set.name,
        version=latest["version__max"] + 1,
        description=criteria_set.description,
        network=network or criteria_set.network,
    )
    for section in criteria_set.sections.prefetch_related("criteria"):
        criteria = list(section.criteria.all())
        section.pk = None
        section.criteria_set = copy
        section.save()
        for criterion in criteria:
            criterion.pk = None
            criterion.section = section
            criterion.save()
    return copy


def criteria_set_for_call(*, name: str, network: Network) -> CriteriaSet:
    """A new, empty criteria set of `network`, named after the call it is made for: the next
    free version of that name, so two calls of one title get two sets."""
    latest = CriteriaSet.objects.filter(name=name).aggregate(Max("version"))["version__max"]
    return CriteriaSet.objects.create(name=name, network=network, version=(latest or 0) + 1)


def criteria_set_hold_for_change(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """Lock the set's row until the transaction ends and refuse if it is locked.

    A submission locks the set with an UPDATE of this row, so it waits for this transaction: the
    sections and criteria an application answered never change under it."""
    held = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if held.is_locked:
        raise ValidationError(
            _(
                "Applications answering this criteria set were submitted meanwhile, so it can "
                "no longer change: nothing was saved. Copy it as a new version instead."
            )
        )
    return held
