"""Reading an offers file through the product's one reader (``referentials.uploads``): its
refusals become this import's ``OfferFileRejected``."""

from contextlib import contextmanager
from pathlib import Path

from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.referentials import uploads

MAX_BYTES = 20 * uploads.MEGABYTE


@contextmanager
def refusing():
    """Turns an unreadable file into ``OfferFileRejected`` with its French reason."""
    try:
        yield
    except uploads.UnreadableFile as error:
        raise OfferFileRejected([str(error)]) from None


def content_of(path_or_file):
    """The bytes of a path or of a binary file, refused over ``MAX_BYTES``."""
    with refusing():
        if hasattr(path_or_file, "read"):
            data = path_or_file.read(MAX_BYTES + 1)
        else:
            path = Path(path_or_file)
            if path.stat().st_size > MAX_BYTES:
                raise uploads.UnreadableFile(uploads.too_big_message(MAX_BYTES))
            data = path.read_bytes()
        uploads.check_size(data, MAX_BYTES)
    return data
