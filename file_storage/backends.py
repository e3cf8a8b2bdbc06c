"""The S3 storage of documents and data exports: private by construction, streamed on read.

django-storages' `S3Storage` reads an object by downloading all of it into a spooled temporary
file held in memory (`AWS_S3_MAX_MEMORY_SIZE` 0 means never rolled to disk) before the first
byte is served: a 50 MB document would cost a web worker 50 MB for as long as the download
lasts. Here a file opened for reading is the object's GET body, read a buffer at a time, so a
download of any size holds about one buffer; a seek only moves the position and the next read
asks from there with a Range (a ZIP reader seeks to the end first, then to each member).
"""

import io

from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Bytes held per open download: one GET body read in pieces this large.
READ_BUFFER_BYTES = 256 * 1024
# A bucket that does not answer fails a request within seconds rather than after botocore's
# minute-long defaults; a transient error is retried a few times.
CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"max_attempts": 3, "mode": "standard"},
)


def _not_found(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class S3ObjectReader(io.RawIOBase):
    """One object of the bucket as a readable, seekable raw stream (see the module's docstring)."""

    def __init__(self, s3_object, *, size: int, body=None):
        super().__init__()
        self._object, self._size, self._body, self._position = s3_object, size, body, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        position = base + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        if position != self._position:
            self._drop_body()
            self._position = position
        return position

    def readinto(self, buffer) -> int:
        if self._position >= self._size:
            return 0
        if self._body is None:
            self._body = self._object.get(Range=f"bytes={self._position}-")["Body"]
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


class S3ObjectFile(File):
    """What `open(name, "rb")` returns: a Django File over an `S3ObjectReader`, reopened (from
    the start) by `open()` once closed, as a file on disk would be."""

    def __init__(self, storage: "PrivateS3Storage", name: str):
        self._storage = storage
        super().__init__(self._reader(name), name=name)

    def _reader(self, name: str) -> io.BufferedReader:
        s3_object = self._storage.bucket.Object(self._storage._normalize_name(clean_name(name)))
        try:
            # One GET: it says at once whether the object exists, and its body is the stream.
            response = s3_object.get()
        except ClientError as error:
            if _not_found(error):
                raise FileNotFoundError(f"No object {name!r} in the bucket.") from error
            raise
        self.size = response["ContentLength"]
        raw = S3ObjectReader(s3_object, size=response["ContentLength"], body=response["Body"])
        return io.BufferedReader(raw, buffer_size=READ_BUFFER_BYTES)

    def open(self, mode=None):
        if mode not in (None, "rb"):
            raise ValueError("An object of the bucket reopens for reading only.")
        if self.closed:
            self.file = self._reader(self.name)
        else:
            self.seek(0)
        return self


class PrivateS3Storage(S3Storage):
    """S3Storage that never makes anything public and streams what it reads.

    No ACL is sent (the bucket's own, private, applies), URLs are never handed out (the portal
    serves every file itself, after its permission check), an existing name is never
    overwritten (a second file under it gets another name), and options that would loosen any
    of this are refused at start-up.
    """

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "custom_domain": None,
        }

    def __init__(self, **settings):
        super().__init__(**settings)
        loosening = [
            description
            for description, present in [
                ("an ACL (default_acl)", bool(self.default_acl)),
                ("an ACL in object_parameters", "ACL" in (self.object_parameters or {})),
                ("unsigned URLs (querystring_auth off)", not self.querystring_auth),
                ("overwriting files (file_overwrite)", self.file_overwrite),
                ("a public domain (custom_domain)", bool(self.custom_domain)),
            ]
            if present
        ]
        if loosening:
            raise ImproperlyConfigured(
                "The document bucket stays private; refused: " + ", ".join(loosening) + "."
            )
        # Options the operator set on the client win; the timeouts fill in what they left.
        self.client_config = CLIENT_CONFIG.merge(self.client_config)

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        return S3ObjectFile(self, name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Stored files are served by the portal's own views after their permission check, "
            "never by a URL of the bucket."
        )
