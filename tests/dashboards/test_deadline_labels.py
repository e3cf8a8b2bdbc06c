"""Issue 11: the overview's "Submissions over time" drew 21 deadline labels on top of each
other. Each label now sits clear of the others, inside the chart, and every deadline is named."""

import datetime
import itertools
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dashboards.charts import column_chart, marker_label_width
from tests.dashboards.conftest import applications_bulk
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

# A deadline's label: text in the markers' colour.
LABEL = re.compile(
    r'<text(?: class="[^"]*")? x="([\d.]+)" y="[\d.]+" fill="#b3541e"[^>]*>([^<]+)</text>'
)


def labels_of(svg: str) -> list[tuple[float, str]]:
    return [(float(x), text) for x, text in LABEL.findall(svg)]


def numbers_named(labels) -> set[int]:
    named = set()
    for _x, text in labels:
        for part in text.split(", "):
            low, _, high = part.partition("–")
            named.update(range(int(low), int(high or low) + 1))
    return named


def assert_clear_of_each_other(labels, width):
    spans = sorted((x, x + marker_label_width(text)) for x, text in labels)
    for (_start, end), (next_start, _end) in itertools.pairwise(spans):
        assert end < next_start, spans
    assert all(start >= 0 and end <= width for start, end in spans)


def test_the_overview_names_21_deadlines_without_one_label_over_another(client, observer):
    now = timezone.now()
    calls = [
        CallFactory(
            title=f"Call {i}",
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now + datetime.timedelta(days=i // 3, hours=i),
        )
        for i in range(21)
    ]
    applications_bulk(calls[0], 12)
    cache.clear()
    client.force_login(observer)

    page = client.get(reverse("dashboards:overview")).content.decode()

    svg = page[page.index("Submissions per day") :]
    svg = svg[: svg.index("</svg>")]
    labels = labels_of(svg)
    assert labels
    assert_clear_of_each_other(labels, width=720)
    assert numbers_named(labels) == set(range(1, 22))


def test_deadlines_far_apart_keep_a_label_each_and_one_at_the_edge_stays_inside():
    days = [f"2027-03-{d:02d}" for d in range(1, 31)]
    svg = column_chart(
        [(day, 1) for day in days],
        title="Submissions per day",
        description="",
        markers=[("2027-03-02", "1"), ("2027-03-15", "2"), ("2027-03-30", "3")],
    )
    labels = labels_of(svg)
    assert [text for _x, text in labels] == ["1", "2", "3"]
    assert_clear_of_each_other(labels, width=720)
