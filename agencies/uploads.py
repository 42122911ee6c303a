"""Uploads too large for any form of OCMS are refused as they arrive, never read in full.

The only file OCMS takes is the one iCARE sends back (reports.icare.returned.MAX_RETURNED_BYTES); a body announced
as larger, or that turns out larger as it streams in, stops the upload at its file. The view then says so beside the
file field (`upload_refused`).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LimitedUploadHandler(FileUploadHandler):
    """Stops an upload past OCMS_MAX_UPLOAD_BYTES, by its Content-Length or as its bytes come.

    A body announced too large is still read up to its first file: the form's fields before it, the CSRF token
    first of all ({% csrf_token %} opens every form), arrive as usual, so that the page can answer with the form
    and its message rather than with a refusal for a missing token. The file itself is never read.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        self.received = 0
        self.announced_too_large = content_length > settings.OCMS_MAX_UPLOAD_BYTES
        return None  # the usual parsing, which this handler stops at the file

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.announced_too_large:
            self.refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.OCMS_MAX_UPLOAD_BYTES:
            self.refuse()
        return raw_data  # the next handlers keep the data

    def file_complete(self, file_size: int) -> None:
        return None

    def refuse(self) -> None:
        self.request.upload_refused = True
        raise StopUpload(connection_reset=True)


def upload_refused(request) -> bool:
    """Whether this request's upload was stopped for its size."""
    request.FILES  # noqa: B018 - parses the body (or stops it), which sets the flag
    return getattr(request, "upload_refused", False)
