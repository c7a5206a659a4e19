"""Persona pictures: any common image file in, a small PNG or JPEG for the plan out.

A plan is a document users e-mail around, so a 12-megapixel phone photo is scaled down to
what a card and a printed sheet need before it is stored. Pillow does the decoding; its
decompression-bomb guard and our own size limit keep hostile files out.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from smarketing_desktop.errors import UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000
# Large enough for a sharp 34 mm avatar on a printed sheet at 300 dpi.
MAX_SIDE = 512
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")


class PictureError(UserError):
    """The chosen file cannot be used as a persona picture (the message says why)."""


def read_picture_file(path: Path) -> bytes:
    """The picture at ``path``, checked and scaled for storing in the plan.

    Raises:
        PictureError: the file cannot be read, is too large, or is not an image.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PictureError(
                f"“{path.name}” is too large for a persona picture ({size / 2**20:.0f} MB; "
                f"the limit is {MAX_FILE_BYTES // 2**20} MB)."
            )
        data = path.read_bytes()
    except OSError as error:
        raise PictureError(f"“{path.name}” cannot be read: {error.strerror or error}.") from None
    return prepare_picture(data, path.name)


def prepare_picture(data: bytes, name: str = "The file") -> bytes:
    """Scale an image down to at most ``MAX_SIDE`` pixels; PNG if it has transparency.

    Args:
        data: The bytes of an image file in any format Pillow reads (``FORMATS``).
        name: The file name, for the messages.

    Raises:
        PictureError: the bytes are not an image this app accepts, or it is too big.
    """
    not_image = PictureError(
        f"“{name}” is not a picture. Choose a PNG, JPEG, GIF, BMP, WebP or TIFF image."
    )
    if len(data) > MAX_FILE_BYTES:
        raise PictureError(f"“{name}” is too large for a persona picture.")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; refuse that too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PictureError(
                        f"“{name}” is too large a picture ({width} × {height} pixels)."
                    )
                image.load()
                picture = ImageOps.exif_transpose(image)
    except PictureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(f"“{name}” is too large a picture.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise not_image from None
    picture = _eight_bit(picture)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        picture.convert("RGBA").save(out, "PNG", optimize=True)
    else:
        picture.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def _eight_bit(picture: Image.Image) -> Image.Image:
    """16-bit (and 32-bit integer) greyscale as 8-bit greyscale, scaled, not clipped.

    Pillow converts such images to RGB by clipping every value above 255, which turns a
    16-bit scan almost white.
    """
    if picture.mode.startswith("I;16") or picture.mode == "I":
        wide = picture if picture.mode == "I" else picture.convert("I")
        return wide.point(lambda value: value / 257).convert("L")
    return picture
