"""Charts drawn on the server as SVG: no script, no library, readable by screen readers.

Each chart is an `<svg role="img">` with a <title> and a <desc> summing it up; its numbers are
also in the table printed beside it. Colours meet WCAG AA: text at least 4.5:1 against what it
sits on, bars and tiles at least 3:1 against the page (light tiles get a dark outline).
"""

from bisect import bisect_left
from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboards.europe import TILES

INK = "#212529"
MUTED = "#595959"
BAR = "#1f4e99"
MARKER = "#b3541e"
OUTLINE = "#6c757d"
# Sequential scale for the map, lightest for zero; (fill, text colour on it).
SCALE = [
    ("#f1f3f5", INK),
    ("#d5e2f5", INK),
    ("#9dbce6", INK),
    ("#3d68b0", "#ffffff"),
    ("#173f85", "#ffffff"),
]
_ids = count(1)


def _frame(width: int, height: int, title: str, description: str, body: SafeString) -> SafeString:
    chart_id = f"chart-{next(_ids)}"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{body}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        description=description,
        body=body,
    )


def bar_chart(
    items: Sequence[tuple[str, int | float]], *, title: str, description: str, unit: str = ""
) -> SafeString:
    """Horizontal bars, one per (label, value), labelled with their value."""
    row, label_width, bar_width = 26, 330, 280
    height = max(row * len(items), row) + 8
    largest = max((value for _, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        length = round(bar_width * value / largest) if value > 0 else 0
        bars.append(
            (
                label_width - 8, y + 17, label,
                label_width, y + 3, max(length, 1) if value > 0 else 0, row - 8, BAR,
                label_width + length + 6, y + 17, _number(value), unit,
            )
        )  # fmt: skip
    # The text's colour and size are the group's: said once rather than on every label.
    body = format_html(
        '<g fill="{}" font-size="13">{}</g>',
        INK,
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}">{}{}</text>',
            bars,
        ),
    )
    return _frame(label_width + bar_width + 90, height, title, description, body)


def column_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    description: str,
    markers: Sequence[tuple[str, str]] = (),
) -> SafeString:
    """Columns over consecutive days (label "YYYY-MM-DD"), with vertical lines at markers
    (day, label) that fall within the days shown."""
    width, height, left, top, bottom = 720, 260, 44, 24, 40
    plot_w, plot_h = width - left - 10, height - top - bottom
    days = [day for day, _ in items]
    largest = max((n for _, n in items), default=0) or 1
    step = plot_w / max(len(items), 1)
    columns = [
        (
            round(left + i * step + step * 0.1, 1),
            round(top + plot_h - plot_h * n / largest, 1),
            round(max(step * 0.8, 1), 1),
            round(plot_h * n / largest, 1),
            BAR,
            f"{day}: {n}",
        )
        for i, (day, n) in enumerate(items)
        if n  # a day at zero has no column to draw: the axis shows it
    ]
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        columns,
    )
    axis = format_html(
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}"></line>'
        '<text x="{tl}" y="{ty}" fill="{c}" font-size="12" text-anchor="end">{top_value}</text>'
        '<text x="{tl}" y="{b}" fill="{c}" font-size="12" text-anchor="end">0</text>'
        '<text x="{l}" y="{dy}" fill="{c}" font-size="12">{first}</text>'
        '<text x="{r}" y="{dy}" fill="{c}" font-size="12" text-anchor="end">{last}</text>',
        l=left,
        r=left + plot_w,
        b=top + plot_h,
        c=INK,
        tl=left - 6,
        ty=top + 10,
        top_value=largest,
        dy=top + plot_h + 18,
        first=days[0] if days else "",
        last=days[-1] if days else "",
    )
    placed = []
    for day, label in markers:
        if days and days[0] <= day <= days[-1]:
            # The days are in order: a marker falls on its day, or where that day would be.
            placed.append((round(left + bisect_left(days, day) * step + step / 2, 1), label))
    placed.sort(key=lambda marker: marker[0])
    lines = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
        'stroke-dasharray="5 3"></line>',
        ((x, top - 4, x, top + plot_h, MARKER) for x, _label in placed),
    )
    labels = format_html_join(
        "",
        '<text class="chart-marker-label" x="{}" y="{}" fill="{}" font-size="{}">{}</text>',
        (
            (x, top + 6, MARKER, MARKER_FONT, text)
            for x, text in marker_labels(placed, right=width - 2)
        ),
    )
    return _frame(width, height, title, description, body + axis + lines + labels)


# Marker labels: 12 px text, each character taken as at most 0.65 em wide (digits and the
# dash of the label font are narrower), with a gap kept between two labels.
MARKER_FONT = 12
MARKER_CHARACTER = 0.65 * MARKER_FONT
MARKER_GAP = 4


def marker_label_width(text: str) -> float:
    return len(text) * MARKER_CHARACTER


def _group_text(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    if all(label.isdigit() for label in labels):
        numbers = sorted(int(label) for label in labels)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]}–{numbers[-1]}"
        return ", ".join(str(number) for number in numbers)
    return ", ".join(labels)


def marker_labels(placed: Sequence[tuple[float, str]], *, right: float) -> list[tuple[float, str]]:
    """Where each marker's label goes, never over another: markers too close to the previous
    label share one ("3–7"), written from the first of them; the notes under the chart name
    each deadline. `placed` is (x of the line, label) in order of x; returns (x, text)."""
    groups: list[list] = []  # [x of the text, labels]
    for x, label in placed:
        if groups:
            start, labels = groups[-1]
            if x + 4 < start + marker_label_width(_group_text(labels)) + MARKER_GAP:
                labels.append(label)
                continue
        groups.append([x + 4, [label]])
    result: list[tuple[float, list[str]]] = []
    for start, labels in groups:
        # Kept inside the chart; a label pushed back over the previous one joins it.
        start = min(start, right - marker_label_width(_group_text(labels)))
        while result and start < (
            result[-1][0] + marker_label_width(_group_text(result[-1][1])) + MARKER_GAP
        ):
            previous_start, previous = result.pop()
            labels = previous + labels
            start = min(previous_start, right - marker_label_width(_group_text(labels)))
        result.append((start, labels))
    return [(round(start, 1), _group_text(labels)) for start, labels in result]


def tile_map(
    values: dict[str, int],
    *,
    title: str,
    description: str,
    classes: Sequence[int] | None = None,
    names: dict[str, str] | None = None,
) -> SafeString:
    """Europe as tiles coloured by value. `classes` are the lower bounds of the coloured
    classes above zero (four of them); without, they are spread up to the largest value."""
    size, gap = 54, 4
    largest = max(values.values(), default=0)
    bounds = list(classes) if classes else class_bounds(largest)
    names = names or {}
    tiles = []
    for code, (col, row) in TILES.items():
        value = values.get(code, 0)
        fill, ink = SCALE[_class_of(value, bounds)]
        x, y = col * (size + gap) + 2, row * (size + gap) + 2
        tiles.append(
            (
                x, y, size, size, fill, OUTLINE, f"{names.get(code, code)}: {value}",
                x + size / 2, y + 22, ink, code,
                x + size / 2, y + 42, ink, value,
            )
        )  # fmt: skip
    body = format_html(
        '<g font-size="13" text-anchor="middle">{}</g>',
        format_html_join(
            "",
            '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" rx="3">'
            "<title>{}</title></rect>"
            '<text x="{}" y="{}" fill="{}" font-weight="bold">{}</text>'
            '<text x="{}" y="{}" fill="{}">{}</text></g>',
            tiles,
        ),
    )
    columns = max(col for col, _ in TILES.values()) + 1
    rows = max(row for _, row in TILES.values()) + 1
    return _frame(columns * (size + gap) + 4, rows * (size + gap) + 4, title, description, body)


def class_bounds(largest: int) -> list[int]:
    """Four lower bounds above zero spreading 1..largest into the map's coloured classes."""
    if largest <= 4:
        return [1, 2, 3, 4]
    return [1, *sorted({max(2, round(largest * share)) for share in (0.25, 0.5, 0.75)})]


def _class_of(value: int, bounds: Sequence[int]) -> int:
    return sum(1 for bound in bounds if value >= bound)


def legend(bounds: Sequence[int]) -> list[tuple[str, str, str]]:
    """(fill, text colour, range label) for each class of the map, for the legend beside it."""
    edges = [0, *bounds]
    result = []
    for index, (fill, ink) in enumerate(SCALE[: len(edges)]):
        low = edges[index]
        high = edges[index + 1] - 1 if index + 1 < len(edges) else None
        if high is None:
            label = f"{low}+"
        elif high <= low:
            label = str(low)
        else:
            label = f"{low}–{high}"
        result.append((fill, ink, label))
    return result


def _number(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
