"""Server-side SVG charts (no script, no CDN): grouped bars. Every chart is drawn next to a
table holding the same figures; the SVG is ``role="img"`` with a title and a description."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

PALETTE = ("#000091", "#c9191e", "#666666", "#18753c")
WIDTH, HEIGHT, MARGIN, BOTTOM = 640, 260, 44, 48


def bar_chart(chart_id, title, categories, series, *, unit=""):
    """``series``: [(label, [value or None per category])]; a masked value (None) draws no
    bar and is written « masqué » in the table beside."""
    values = [v for _, row in series for v in row if v is not None]
    top = max(values + [1])
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - MARGIN - BOTTOM
    group_w = plot_w / max(1, len(categories))
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    bars, labels = [], []
    for c, category in enumerate(categories):
        x0 = MARGIN + c * group_w + group_w * 0.1
        for s, (label, row) in enumerate(series):
            value = row[c]
            if value is None:
                continue
            height = plot_h * value / top
            bars.append(
                (
                    round(x0 + s * bar_w, 1),
                    round(MARGIN + plot_h - height, 1),
                    round(bar_w - 1, 1),
                    round(height, 1),
                    PALETTE[s % len(PALETTE)],
                    f"{label}, {category} : {value}{unit}",
                )
            )
        labels.append((round(x0 + group_w * 0.4, 1), HEIGHT - BOTTOM + 16, category))
    legend = [
        (MARGIN + i * 170, HEIGHT - 12, PALETTE[i % len(PALETTE)], label)
        for i, (label, _) in enumerate(series)
    ]
    return (
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
            '<desc id="{}-d">Les mêmes chiffres figurent dans le tableau qui suit.</desc>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333"/>{}{}{}'
            '<text x="4" y="{}" font-size="11">{}{}</text></svg>',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            MARGIN,
            MARGIN + plot_h,
            WIDTH - MARGIN,
            MARGIN + plot_h,
            format_html_join(
                "",
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                bars,
            ),
            format_html_join(
                "", '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>', labels
            ),
            format_html_join(
                "",
                '<rect x="{}" y="{}" width="10" height="10" fill="{}" transform="translate(0,-9)"/>'
                '<text x="{}" y="{}" font-size="11" dx="14">{}</text>',
                [(x, y, colour, x, y, label) for x, y, colour, label in legend],
            ),
            MARGIN - 8,
            top,
            unit,
        )
        if categories
        else mark_safe("")
    )  # noqa: S308
