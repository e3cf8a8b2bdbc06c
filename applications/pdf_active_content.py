"""Finds the active content of a PDF: what a reader could run or open when a reviewer reads it.

Scripts (JavaScript in any action, form field or name tree), actions that start a program or
import or send data (Launch, ImportData, SubmitForm, GoToE), embedded files and file attachments,
XFA forms, and multimedia (RichMedia, Screen, Movie, Sound, 3D, renditions). Links to web pages
(URI actions) and jumps within the document (GoTo) are ordinary and stay accepted.

The check walks every object reachable from the document's trailer, as parsed by pypdf (so name
escapes such as /J#61vaScript and objects kept in compressed object streams are seen as a reader
sees them), rather than grepping bytes, which both misses such disguises and refuses innocent
text that mentions "JavaScript".
"""

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Each kind of active content, in the order the refusal names them.
JAVASCRIPT = _("JavaScript")
LAUNCH = _("an action that starts a program or opens another file (Launch)")
DATA_TRANSFER = _("a form action that sends or imports data (SubmitForm, ImportData)")
EMBEDDED_FILES = _("embedded files or attachments")
XFA = _("an XFA form")
MULTIMEDIA = _("multimedia content (rich media, video, sound or 3D)")
KINDS = (JAVASCRIPT, LAUNCH, DATA_TRANSFER, EMBEDDED_FILES, XFA, MULTIMEDIA)

ACTION_KINDS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": DATA_TRANSFER,
    "/ImportData": DATA_TRANSFER,
    "/GoToE": EMBEDDED_FILES,
    "/Rendition": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/RichMediaExecute": MULTIMEDIA,
    "/GoTo3DView": MULTIMEDIA,
}
ANNOTATION_KINDS = {
    "/FileAttachment": EMBEDDED_FILES,
    "/RichMedia": MULTIMEDIA,
    "/Screen": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/3D": MULTIMEDIA,
}
TYPE_KINDS = {"/EmbeddedFile": EMBEDDED_FILES, "/Rendition": MULTIMEDIA}
# Keys whose mere presence is active content, whatever dictionary holds them.
KEY_KINDS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/EmbeddedFiles": EMBEDDED_FILES,
    "/EF": EMBEDDED_FILES,
    "/XFA": XFA,
    "/RichMediaContent": MULTIMEDIA,
    "/RichMediaSettings": MULTIMEDIA,
    "/3DD": MULTIMEDIA,
}
# A document with more objects than this is refused by the caller's corrupt-file handling.
MAX_OBJECTS = 500_000


class TooComplex(Exception):
    """The PDF has more objects than a document needs; the caller refuses it."""


def pdf_active_content(reader: PdfReader) -> list:
    """The kinds of active content the PDF holds (translatable labels, in KINDS order), or []."""
    found: set = set()
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise TooComplex
        if isinstance(item, DictionaryObject):
            _classify(item, found)
            # Streams are dictionaries too: their dictionary is walked, their data never run.
            pending.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return [kind for kind in KINDS if kind in found]


def _classify(dictionary: DictionaryObject, found: set) -> None:
    for key in dictionary:
        kind = KEY_KINDS.get(key)
        if kind is not None:
            found.add(kind)
    action = _name(dictionary.get("/S"))
    if action in ACTION_KINDS:
        found.add(ACTION_KINDS[action])
    subtype = _name(dictionary.get("/Subtype"))
    if subtype in ANNOTATION_KINDS:
        found.add(ANNOTATION_KINDS[subtype])
    kind = TYPE_KINDS.get(_name(dictionary.get("/Type")) or "")
    if kind is not None:
        found.add(kind)


def _name(value) -> str | None:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None
