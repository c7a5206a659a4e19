"""Persona pictures: any common image is scaled down; anything else is refused clearly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from smarketing_desktop.exchange import pictures
from smarketing_desktop.exchange.pictures import PictureError, prepare_picture, read_picture_file


def image_bytes(size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 80, 40, 128) if mode == "RGBA" else (200, 80, 40)).save(buffer, fmt)
    return buffer.getvalue()


def test_a_big_photo_is_scaled_down_to_a_jpeg() -> None:
    stored = prepare_picture(image_bytes((2400, 1600), "JPEG"))
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (512, 341)


def test_transparency_keeps_a_png_and_small_images_keep_their_size() -> None:
    stored = prepare_picture(image_bytes((64, 48), "PNG", "RGBA"))
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (64, 48), "RGBA")


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_formats_are_accepted(fmt: str) -> None:
    stored = prepare_picture(image_bytes((40, 30), fmt))
    assert stored.startswith((b"\x89PNG", b"\xff\xd8\xff"))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and nothing sensible
        b"%PDF-1.4\n",
    ],
)
def test_what_is_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(PictureError, match=r"“notes\.txt” is not a picture"):
        prepare_picture(data, "notes.txt")


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(PictureError, match="is not a picture"):
        prepare_picture(image_bytes((300, 300), "PNG")[:200], "cut.png")


def test_huge_files_and_huge_pictures_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pictures, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.png"
    big.write_bytes(image_bytes((600, 600), "BMP"))
    with pytest.raises(PictureError, match=r"“big\.png” is too large"):
        read_picture_file(big)
    monkeypatch.setattr(pictures, "MAX_FILE_BYTES", 20 * 2**20)
    monkeypatch.setattr(pictures, "MAX_PIXELS", 100 * 100)
    with pytest.raises(PictureError, match=r"too large a picture \(600 × 600 pixels\)"):
        read_picture_file(big)


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PictureError, match=r"“missing\.png” cannot be read"):
        read_picture_file(tmp_path / "missing.png")
    with pytest.raises(PictureError, match="cannot be read"):
        read_picture_file(tmp_path)  # a folder


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2000),
        # Real image headers followed by junk: the decoders' error paths.
        st.builds(
            lambda head, tail: head + tail,
            st.sampled_from(
                [
                    b"\x89PNG\r\n\x1a\n",
                    b"\xff\xd8\xff\xe0",
                    b"GIF89a",
                    b"BM",
                    b"RIFF\x00\x00\x00\x00WEBP",
                ]
            ),
            st.binary(max_size=500),
        ),
    )
)
def test_any_bytes_give_a_picture_or_a_clear_refusal(data: bytes) -> None:
    try:
        stored = prepare_picture(data, "x")
    except PictureError as error:
        assert str(error).startswith("“x” is")
    else:
        assert stored.startswith((b"\x89PNG", b"\xff\xd8\xff"))


def test_a_16_bit_greyscale_png_keeps_its_tones() -> None:
    # A gradient from black to white in 16-bit steps, as scanners and some cameras write.
    source = Image.new("I;16", (256, 8))
    source.putdata([x * 257 for _y in range(8) for x in range(256)])
    data = io.BytesIO()
    source.save(data, "PNG")
    assert Image.open(io.BytesIO(data.getvalue())).mode.startswith("I;16")
    stored = Image.open(io.BytesIO(prepare_picture(data.getvalue()))).convert("L")
    row = [stored.getpixel((x, 4)) for x in range(0, 256, 32)]
    assert row == pytest.approx(list(range(0, 256, 32)), abs=4)  # not washed out to white
