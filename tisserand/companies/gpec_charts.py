"""The age pyramid of the GPEC toolkit as server-side SVG (no script, no download): one bar
per age band, those leaving within 3 years in a second, hatched colour. The page shows the
same figures in a table beside it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, ROW, LABEL, PAD = 560, 34, 130, 10
STAYING, LEAVING = "#1f5f8b", "#c2410c"


def pyramid_svg(bands, title="Pyramide des âges"):
    largest = max((band.total for band in bands), default=0) or 1
    scale = (WIDTH - LABEL - 60) / largest
    height = PAD * 2 + ROW * len(bands) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="pyramid-title" class="gpec-pyramid">',
        f'<title id="pyramid-title">{escape(title)} : effectif par tranche d\'âge, '
        "dont départs prévus sous 3 ans (détail dans le tableau)</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#c2410c"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
    ]
    for index, band in enumerate(reversed(bands)):
        y = PAD + index * ROW
        staying_w, leaving_w = band.staying * scale, band.leaving * scale
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 20}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(band.label)}</text>'
        )
        if staying_w:
            parts.append(
                f'<rect x="{LABEL}" y="{y + 4}" width="{staying_w:.1f}" height="{ROW - 10}" '
                f'fill="{STAYING}"/>'
            )
        if leaving_w:
            parts.append(
                f'<rect x="{LABEL + staying_w:.1f}" y="{y + 4}" width="{leaving_w:.1f}" '
                f'height="{ROW - 10}" fill="url(#hatch)" stroke="{LEAVING}"/>'
            )
        parts.append(
            f'<text x="{LABEL + staying_w + leaving_w + 6:.1f}" y="{y + 20}" font-size="13" '
            f'fill="#1a1a1a">{band.total}</text>'
        )
    legend_y = PAD + ROW * len(bands) + 12
    parts.append(
        f'<rect x="{LABEL}" y="{legend_y}" width="14" height="14" fill="{STAYING}"/>'
        f'<text x="{LABEL + 20}" y="{legend_y + 12}" font-size="12" fill="#1a1a1a">restent</text>'
        f'<rect x="{LABEL + 100}" y="{legend_y}" width="14" height="14" fill="url(#hatch)" '
        f'stroke="{LEAVING}"/><text x="{LABEL + 120}" y="{legend_y + 12}" font-size="12" '
        'fill="#1a1a1a">partent sous 3 ans</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
