"""Keep the name a browser (or a forged request) really sent with each uploaded file.

Django's multipart parser strips path parts from file names ("../../x.pdf" becomes
"x.pdf"), which keeps storage safe but hides that the name was unsafe. The office wants
such an upload refused with a clear message instead, so this middleware parses uploads
with a parser that remembers the name as sent and puts it on each file as `client_name`,
for core.files.check_upload to judge.
"""

import html
import types

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList
from django.utils.encoding import force_str


class _NameKeepingParser(MultiPartParser):
    _sent_name = ""

    def sanitize_file_name(self, file_name):
        # Called once per file part, just before that part's data is read.
        self._sent_name = html.unescape(file_name)
        return super().sanitize_file_name(file_name)

    def handle_file_complete(self, old_field_name, counters):
        super().handle_file_complete(old_field_name, counters)
        field = force_str(old_field_name, self._encoding, errors="replace")
        completed = self._files.getlist(field)
        if completed:
            completed[-1].client_name = self._sent_name


def _parse_file_upload(request, META, post_data):
    request.upload_handlers = ImmutableList(
        request.upload_handlers,
        warning="You cannot alter upload handlers after the upload has been processed.",
    )
    return _NameKeepingParser(META, post_data, request.upload_handlers, request.encoding).parse()


class UploadNameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "multipart/form-data":
            request.parse_file_upload = types.MethodType(_parse_file_upload, request)
        return self.get_response(request)
