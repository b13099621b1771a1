"""Plain text out of the HTML fragments LHÉO producers put in their descriptions."""

import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}
SAFE_SCHEMES = ("http://", "https://")


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value):
    """Paragraphs separated by a blank line, list items as bullets, no markup left."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return _tidy(value)
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    return _tidy("".join(extractor.parts))


def _tidy(text):
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def safe_url(value):
    """An http(s) URL, adding the scheme LHÉO files often omit; '' for any other scheme."""
    value = (value or "").strip()
    if value.lower().startswith(SAFE_SCHEMES):
        return value
    if not value or "://" in value or re.match(r"^[a-z+.-]+:(?!\d)", value, re.IGNORECASE):
        return ""
    return "https://" + value
