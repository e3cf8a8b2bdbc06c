"""Checks that an uploaded file really is a document of an allowed format, before it is stored.

The browser's content type and the file name are claims; only the bytes count. Every refusal is a
ValidationError whose message tells the institution what is wrong and what to upload instead.
"""

import hashlib
import logging
import math
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image
from pypdf import PasswordType, PdfReader

from applications.pdf_active_content import pdf_active_content
from calls.enums import FileFormat

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024
# Browsers sniff at most the first 1,445 bytes (WHATWG MIME sniffing); look a little further.
HEAD_BYTES = 4096
# The PDF specification lets readers find %%EOF within the last 1,024 bytes.
TAIL_BYTES = 1024
# Zip-bomb guard: office documents compress XML by 5-20x, never by 100x, and never hold 200 MB.
ARCHIVE_MAX_RATIO = 100
ARCHIVE_MAX_UNCOMPRESSED = 200 * MEGABYTE
ARCHIVE_MAX_ENTRIES = 10_000

# Format -> (extension to store it under, MIME type to serve it with, magic bytes at byte 0).
FORMATS = {
    "pdf": ("pdf", "application/pdf", b"%PDF-"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    "odt": ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "png": ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpeg": ("jpg", "image/jpeg", b"\xff\xd8\xff"),
}
# File name extensions (compared lower-cased) -> format.
EXTENSIONS = {"jpg": "jpeg"} | {format_: format_ for format_ in FORMATS}
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Mach-O: 32 and 64 bit in both byte orders, and universal binaries (Java classes share it).
MACH_O_SIGNATURES = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe")
MACH_O_SIGNATURES += (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
# Windows, Linux, then scripts run through an interpreter.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", *MACH_O_SIGNATURES, b"#!")
# Markup a browser would run if the file were ever served or saved as a web page.
MARKUP_SIGNATURES = (b"<script", b"<html", b"<!doctype html", b"<svg", b"<iframe")
# Macros are programs; Word and LibreOffice keep them in these parts.
MACRO_PARTS = ("vbaproject.bin", "basic/", "scripts/")


@dataclass(frozen=True)
class CheckedFile:
    """What the checks found out about an accepted file: everything needed to store and serve it."""

    format: str  # one of FileFormat values
    content_type: str  # the MIME type to serve it with
    size: int  # bytes
    sha256: str  # hex digest of the content
    extension: str  # canonical extension to store it under, e.g. "pdf", "jpg"


def file_check(
    *, uploaded: UploadedFile, allowed_formats: list[str], max_bytes: int
) -> CheckedFile:
    """Check an uploaded document and describe it, or refuse it.

    Raises django.core.exceptions.ValidationError(message, code=...) on the first problem, with
    the codes "empty", "too_large", "extension", "disguised", "macros", "content_mismatch",
    "corrupt", "encrypted", "active_content", "suspicious_archive" and "suspicious_image".
    Raises ValueError when allowed_formats is empty or names a format FileFormat does not know
    (a programming error).
    The file position is back at 0 afterwards, whether the file was accepted or not.
    """
    unknown = set(allowed_formats) - set(FileFormat.values)
    if unknown or not allowed_formats:
        raise ValueError(f"allowed_formats must be FileFormat values, got {allowed_formats!r}")
    try:
        return _check(uploaded, allowed_formats, max_bytes)
    finally:
        uploaded.seek(0)


def _check(uploaded: UploadedFile, allowed_formats: list[str], max_bytes: int) -> CheckedFile:
    formats = ", ".join(fmt.upper() for fmt in allowed_formats)
    # Refuse on the declared size before reading anything, then again on the bytes really read.
    if uploaded.size == 0:
        raise _refusal("empty")
    if uploaded.size and uploaded.size > max_bytes:
        raise _too_large(uploaded.size, max_bytes, formats)
    size, sha256, head, tail = _read(uploaded, max_bytes, formats)
    if size == 0:
        raise _refusal("empty")

    _stem, dot, extension = (uploaded.name or "").strip().rpartition(".")
    extension = extension.lower() if dot else ""
    format_ = EXTENSIONS.get(extension)
    if format_ is None or format_ not in allowed_formats:
        raise _refusal("extension", name=uploaded.name, formats=formats)

    lowered_head = head.lower()
    if head.startswith(EXECUTABLE_SIGNATURES) or any(m in lowered_head for m in MARKUP_SIGNATURES):
        raise _refusal("disguised", formats=formats)

    label = format_.upper()
    stored_extension, content_type, signature = FORMATS[format_]
    if not head.startswith(signature):
        raise _refusal("content_mismatch", extension=extension, format=label)
    if format_ == "pdf":
        _check_pdf(uploaded, head, tail, label)
    elif format_ in ("docx", "xlsx", "odt"):
        _check_archive(uploaded, format_, extension, label)
    else:
        _check_image(uploaded, format_, label)
    return CheckedFile(
        format=format_,
        content_type=content_type,
        size=size,
        sha256=sha256,
        extension=stored_extension,
    )


def _read(uploaded: UploadedFile, max_bytes: int, formats: str) -> tuple[int, str, bytes, bytes]:
    """Stream the file once: its real size, digest, first and last bytes, never all in memory."""
    digest = hashlib.sha256()
    size, head, tail = 0, b"", b""
    for chunk in uploaded.chunks():
        size += len(chunk)
        if size > max_bytes:
            # The declared size lied; stop reading what we will refuse anyway.
            raise _too_large(max(size, uploaded.size or 0), max_bytes, formats)
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        tail = (tail + chunk)[-TAIL_BYTES:]
    return size, digest.hexdigest(), head, tail


def _check_pdf(stream: IO[bytes], head: bytes, tail: bytes, label: str) -> None:
    if not head.startswith((b"%PDF-1.", b"%PDF-2.")) or b"%%EOF" not in tail:
        raise _refusal("corrupt", format=label)
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=True)
        # Owner-password PDFs (no printing, no editing) open for anyone; only a user password
        # keeps reviewers out. decrypt("") tells them apart.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _refusal("encrypted")
        if len(reader.pages) == 0:
            raise _refusal("corrupt", format=label)
        # Loading every page object finds broken page trees and objects the xref misplaces.
        if any(page.mediabox.width <= 0 for page in reader.pages):
            raise _refusal("corrupt", format=label)
        found = pdf_active_content(reader)
        if found:
            raise _refusal("active_content", reasons=", ".join(str(reason) for reason in found))
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many kinds; none may become a server error
        logger.info("PDF refused as corrupt: %r", error)
        raise _refusal("corrupt", format=label) from error


def _check_archive(stream: IO[bytes], format_: str, extension: str, label: str) -> None:
    stream.seek(0)
    if not zipfile.is_zipfile(stream):
        raise _refusal("corrupt", format=label)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            # Judge the sizes the archive declares before decompressing anything: testzip()
            # inflates every entry, and zipfile stops at the declared size.
            uncompressed = sum(entry.file_size for entry in entries)
            compressed = max(sum(entry.compress_size for entry in entries), 1)
            if (
                len(entries) > ARCHIVE_MAX_ENTRIES
                or uncompressed > ARCHIVE_MAX_UNCOMPRESSED
                or uncompressed > ARCHIVE_MAX_RATIO * compressed
            ):
                raise _refusal("suspicious_archive", format=label)
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise _refusal("encrypted")
            names = [entry.filename for entry in entries]
            if any(_is_macro(name) for name in names):
                raise _refusal("macros", format=label)
            if archive.testzip() is not None:
                raise _refusal("corrupt", format=label)
            if format_ == "odt":
                first = entries[0] if entries else None
                if (
                    first is None
                    or first.filename != "mimetype"
                    or first.file_size != len(ODT_MIMETYPE)
                    or archive.read(first) != ODT_MIMETYPE
                ):
                    raise _refusal("content_mismatch", extension=extension, format=label)
                # OpenDocument encrypts its parts itself, not through ZIP; the manifest says so.
                if "META-INF/manifest.xml" in names:
                    with archive.open("META-INF/manifest.xml") as manifest:
                        if b"encryption-data" in manifest.read(MEGABYTE):
                            raise _refusal("encrypted")
            elif not {"[Content_Types].xml", OFFICE_MAIN_PART[format_]} <= set(names):
                raise _refusal("content_mismatch", extension=extension, format=label)
    except ValidationError:
        raise
    except Exception as error:  # bad headers, CRC errors, unknown compression methods
        logger.info("Archive refused as corrupt: %r", error)
        raise _refusal("corrupt", format=label) from error


def _check_image(stream: IO[bytes], format_: str, label: str) -> None:
    pillow_format = format_.upper()
    try:
        stream.seek(0)
        # Only the one decoder we expect: no exotic plugin ever sees the bytes.
        with Image.open(stream, formats=[pillow_format]) as image:
            # Pillow only warns between 1x and 2x its limit; refuse there too.
            if image.width * image.height > (Image.MAX_IMAGE_PIXELS or math.inf):
                raise _refusal(
                    "suspicious_image", megapixels=(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
                )
            image.verify()
        if format_ == "jpeg":
            # verify() does not read JPEG scan data; decode at 1/8 scale to find a cut-off file
            # without holding the full bitmap in memory.
            stream.seek(0)
            with Image.open(stream, formats=[pillow_format]) as image:
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise _refusal(
            "suspicious_image", megapixels=(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        ) from error
    except Exception as error:  # UnidentifiedImageError, truncated data, bad checksums
        logger.info("Image refused as corrupt: %r", error)
        raise _refusal("corrupt", format=label) from error


def _is_macro(name: str) -> bool:
    name = name.lower()
    return name.endswith(MACRO_PARTS[0]) or name.startswith(MACRO_PARTS[1:])


def _megabytes(size: int, *, round_up: bool) -> str:
    # Round the file's size up and the limit down, so a refused file never reads as "10 MB; the
    # limit is 10 MB".
    tenths = size * 10 / MEGABYTE
    value = (math.ceil(tenths) if round_up else math.floor(tenths)) / 10
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


# One message per refusal code, translated when raised. Each says what is wrong in plain words and
# what to do about it.
MESSAGES = {
    "empty": gettext_noop(
        "The file is empty (0 bytes). Check that you chose the right file and upload it again."
    ),
    "too_large": gettext_noop(
        "The file is %(size)s MB; the limit is %(limit)s MB. Upload a file (%(formats)s) of "
        "at most %(limit)s MB, for example by scanning at a lower resolution."
    ),
    "extension": gettext_noop(
        "“%(name)s” is not a type of file accepted here. "
        "Upload a file in one of these formats: %(formats)s."
    ),
    "disguised": gettext_noop(
        "This file contains a program or web page code, not a document. "
        "Upload the document itself, as %(formats)s."
    ),
    "macros": gettext_noop(
        "The document contains macros (small programs), which cannot be accepted. Save it as a "
        "normal %(format)s document without macros, or as PDF, and upload it again."
    ),
    "content_mismatch": gettext_noop(
        "The file name ends in “.%(extension)s” but the file is not a real %(format)s "
        "document: it may have been renamed, saved in another format or protected with a "
        "password. Open it, save it as %(format)s without a password and upload it again."
    ),
    "corrupt": gettext_noop(
        "The file is a damaged or incomplete %(format)s, so reviewers could not open it. "
        "Open it on your computer, save it again as %(format)s and upload the new copy."
    ),
    "encrypted": gettext_noop(
        "The file is protected with a password, so reviewers could not open it. "
        "Save a copy without password protection and upload that."
    ),
    "active_content": gettext_noop(
        "The PDF contains active content that could run when a reviewer opens it: "
        "%(reasons)s. Such PDFs cannot be accepted. Print the document to a new PDF (for "
        "example with “Print to PDF” or “Save as PDF”), without attachments or forms, and "
        "upload the new copy."
    ),
    "suspicious_archive": gettext_noop(
        "The file would unpack to far more data than a normal %(format)s document, which is "
        "how some attacks on servers work. Save it again from your word processor or "
        "spreadsheet, or as PDF, and upload the new copy."
    ),
    "suspicious_image": gettext_noop(
        "The image has more than %(megapixels)s million pixels, too many to be processed "
        "safely. Reduce its resolution, for example by scanning at 300 dpi, and upload it again."
    ),
}


def _refusal(code: str, **params: object) -> ValidationError:
    return ValidationError(_(MESSAGES[code]), code=code, params=params or None)


def _too_large(size: int, max_bytes: int, formats: str) -> ValidationError:
    return _refusal(
        "too_large",
        size=_megabytes(size, round_up=True),
        limit=_megabytes(max_bytes, round_up=False),
        formats=formats,
    )
