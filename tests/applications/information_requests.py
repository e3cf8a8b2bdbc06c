"""A request for more information as its tests need it: a submitted application, a coordinator
of its network, asking, and moving the call's deadline or the request's due date into the past."""

import datetime

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Answer, Application, InformationRequest
from applications.services.drafting import answers_save
from applications.services.information import information_request
from applications.services.submission import application_submit
from calls.models import Call
from tests.applications.conftest import complete
from tests.factories import UserFactory


@pytest.fixture
def coordinator(call):
    user = UserFactory(email="carla@network.example")
    call.network.coordinators.add(user)
    return user


@pytest.fixture
def submitted(draft, applicant, django_capture_on_commit_callbacks):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.ELIGIBLE
    return draft


def sections_of(call):
    return {section.title: section for section in call.criteria_set.sections.all()}


def criterion(call, code):
    return next(
        c
        for section in call.criteria_set.sections.all()
        for c in section.criteria.all()
        if c.code == code
    )


def ask(application, user, *, due_in=datetime.timedelta(days=10), sections=("Activity",)):
    titles = sections_of(application.call)
    return information_request(
        application=application,
        user=user,
        sections=[titles[title] for title in sections],
        message="Please detail the number of patients seen at home.",
        due_at=timezone.now() + due_in,
    )


def close_the_call(call):
    Call.objects.filter(pk=call.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(hours=1),
    )


def make_due(request):
    """The request was made two days ago and its due date has just passed."""
    InformationRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=2),
        due_at=timezone.now() - datetime.timedelta(seconds=1),
    )


def save_answer(application, user, code, value):
    target = criterion(application.call, code)
    answer = Answer.objects.filter(application=application, criterion=target).first()
    return answers_save(
        application=Application.objects.get(pk=application.pk),
        user=user,
        values={target.pk: value},
        loaded_revisions={target.pk: answer.revision if answer else 0},
    )
