"""Retention rules report first (--dry-run), apply only when marked; the register of
processing activities is derived from the models' declarations."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from erasure.declarations import personal_data_declarations
from erasure.models import RetentionReport
from erasure.tasks import retention_task
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def old_rejected_applicant():
    person = UserFactory(email="gone@example.org", name="Gwendolyn Gone")
    application = ApplicationFactory(created_by=person, status="rejected")
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=6 * 365)
    )
    return person


def test_retention_dry_run_reports_and_erases_nothing():
    person = old_rejected_applicant()
    kept = UserFactory()
    ApplicationFactory(created_by=kept, status="accepted")
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert f"user #{person.pk}" in out.getvalue()
    assert f"user #{kept.pk}" not in out.getvalue()
    assert User.objects.get(pk=person.pk).email == "gone@example.org"
    assert RetentionReport.objects.get().dry_run


def test_retention_beat_job_applies_only_the_rules_marked(settings):
    person = old_rejected_applicant()
    retention_task()
    assert User.objects.get(pk=person.pk).email == "gone@example.org"  # reported only
    settings.RETENTION_RULES = {
        **settings.RETENTION_RULES,
        "applicants_not_accepted": {"after_days": 5 * 365, "apply": True},
    }
    retention_task()
    assert User.objects.get(pk=person.pk).email.endswith("@erased.invalid")
    report = RetentionReport.objects.order_by("-pk").first()
    finding = next(f for f in report.findings if f["rule"] == "applicants_not_accepted")
    assert finding["applied"] == 1
    assert "Gwendolyn" not in str(report.findings)


def test_retention_is_in_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "erasure.tasks.retention_task"


def test_processing_register_lists_every_declared_model_and_field():
    out = io.StringIO()
    call_command("processing_register", stdout=out)
    text = out.getvalue()
    for heading in [
        "Purpose:",
        "Legal basis:",
        "Categories of persons:",
        "Recipients:",
        "Retention:",
    ]:
        assert heading in text
    for declaration in personal_data_declarations():
        assert f"({declaration.label})" in text
        for field in declaration.fields:
            assert f"[{field}:" in text


def test_every_model_with_a_person_or_email_field_declares_its_personal_data():
    """A new model naming a person (a link to the user, an email field) must say what of it is
    personal: the register and the erasure read nothing else."""
    from django.conf import settings as django_settings
    from django.db import models

    declared = {declaration.model for declaration in personal_data_declarations()}
    undeclared = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.app_label in {"admin", "auth", "contenttypes"}:
            continue
        for field in model._meta.concrete_fields:
            names_person = isinstance(field, models.EmailField) or (
                field.is_relation
                and field.related_model._meta.label == django_settings.AUTH_USER_MODEL
            )
            if names_person and model not in declared:
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert undeclared == []
