"""Pieces the office admin shares: turning service errors into messages, Excel import pages."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .errors import ApplicationError
from .xlsx import Column, ImportRejected, ImportResult, template_workbook, xlsx_response


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through services.

    The admin runs the change form in one transaction; a service's ApplicationError is
    caught outside it, so everything is rolled back and the office sees the reason.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


def import_page(
    request,
    *,
    model_admin: admin.ModelAdmin,
    title: str,
    form_class: type[ImportForm],
    run: Callable[[ImportForm], ImportResult],
    template_url: str,
    done_url: str,
) -> HttpResponse:
    """GET shows the form; POST runs the import and shows either every error or the result."""
    errors = []
    result = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = run(form)
            except ImportRejected as exc:
                errors = exc.errors
                model_admin.message_user(request, exc.message, messages.ERROR)
            except ApplicationError as exc:
                model_admin.message_user(request, exc.message, messages.ERROR)
            else:
                model_admin.message_user(
                    request, f"已导入 {len(result.created)} 条记录。", messages.SUCCESS
                )
    else:
        form = form_class()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "errors": errors,
        "result": result,
        "template_url": template_url,
        "done_url": done_url,
    }
    return TemplateResponse(request, "admin/import_page.html", context)


def template_download(title: str, columns: list[Column]) -> HttpResponse:
    return xlsx_response(template_workbook(title, columns), f"{title}导入模板.xlsx")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by services: listed and searchable, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExcelImportMixin:
    """Adds "import/" and "import/template/" pages to a ModelAdmin.

    The admin sets import_title, import_columns, import_template_name (and import_form
    for extra fields) and implements run_import(request, form) by calling its service.
    """

    import_title: str
    import_columns: list[Column]
    import_template_name: str
    import_form: type[ImportForm] = ImportForm
    change_list_template = "admin/change_list_import.html"

    def _import_url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=self._import_url_name("import"),
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=self._import_url_name("import_template"),
            ),
            *super().get_urls(),
        ]

    def run_import(self, request, form) -> ImportResult:
        raise NotImplementedError

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return import_page(
            request,
            model_admin=self,
            title=self.import_title,
            form_class=self.import_form,
            run=lambda form: self.run_import(request, form),
            template_url=reverse(f"admin:{self._import_url_name('import_template')}"),
            done_url=reverse(f"admin:{self._import_url_name('changelist')}"),
        )

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return template_download(self.import_template_name, self.import_columns)
