"""Pieces the office admin shares: writing through services, Excel import pages."""

import io
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .errors import ApplicationError
from .files import CONTENT_TYPES, XLSX
from .forms import form_errors_text
from .imports import (
    import_job_for_user,
    import_job_queue,
    import_job_result_take,
    import_job_state,
)
from .workflows import IMPORT_WORKFLOW
from .xlsx import Column, ImportRejected
from .xlsx_writer import Sheet, SheetColumn, xlsx_file_response


class _Refused:
    """Mixed into the change form when a service said no, so that the page comes back with
    everything the office typed and the reason at the top, instead of an empty form."""

    refusal = ""

    def clean(self):
        super().clean()
        raise forms.ValidationError(self.refusal)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through services.

    Subclasses implement save_model (and delete_model, and save_formset for inlines) by
    calling their services; the defaults refuse to write, so no inline or delete falls
    through to Django's plain save(). The admin runs each POST in one transaction and a
    service's ApplicationError is caught outside it: everything is rolled back (also rows of
    inlines saved before the refusal) and the office sees the reason.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            # Everything was rolled back; show the same form again with the reason.
            request._service_refusal = exc.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A file input comes back empty, so the admin's generic 请更正下面的错误。 would leave
        # the office guessing what was wrong with the file: its own reason goes on top.
        form = context["adminform"].form
        refused = [
            f"{field.label}：{''.join(form.errors[name])}"
            for name, field in form.fields.items()
            if isinstance(field, forms.FileField) and form.is_bound and name in form.errors
        ]
        if refused:
            self.message_user(request, f"未保存：{'；'.join(refused)}", messages.ERROR)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal:
            form = type(form.__name__, (_Refused, form), {"refusal": refusal})
        return form

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_deleted_objects(self, objs, request):
        # Records that still point at the object are the service's to judge: it refuses
        # with a sentence that says why, instead of Django's list of protected objects (and
        # a 403 when those are read-only here). A protected reference always stops the
        # delete, in the service or in core.services.delete_or_raise, so nothing cascades.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            return to_delete, model_count, set(), []
        return to_delete, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        raise ImproperlyConfigured(f"{type(self).__name__} must save through a service.")

    def delete_model(self, request, obj):
        raise ImproperlyConfigured(f"{type(self).__name__} must delete through a service.")

    def response_action(self, request, queryset):
        # An action is all or nothing, Django's history of it included ("delete selected"
        # logs the deletions before it deletes).
        with transaction.atomic():
            return super().response_action(request, queryset)

    def delete_queryset(self, request, queryset):
        # "Delete selected": each through delete_model, all or nothing.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): many-to-many fields are the service's, passed in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset_save(formset)


class ServiceInline:
    """Mixed into an inline of a ServiceAdmin (before admin.TabularInline).

    Django's inline form checks a deleted row for protected references itself and answers
    with a list of objects "that would have to be deleted too"; here the service judges the
    deletion and says why not in its own words, as ServiceAdmin.get_deleted_objects does.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.hand_clean_DELETE = lambda form: None
        return formset


def formset_save(
    formset,
    *,
    create: Callable[[dict], models.Model] | None = None,
    update: Callable[[models.Model, dict], models.Model] | None = None,
    delete: Callable[[models.Model], None] | None = None,
) -> None:
    """Send an inline formset's rows to services instead of formset.save().

    Deleted rows first, then changed rows, then new ones (so a title removed and added again
    does not collide). Each callable gets the row's editable fields; a row whose kind of
    change has no callable is a programming error. Sets the lists formset.save() would set,
    which Django's change message reads.
    """
    skip = {formset.model._meta.pk.name, DELETION_FIELD_NAME, ORDERING_FIELD_NAME}
    if getattr(formset, "fk", None) is not None:
        skip.add(formset.fk.name)

    def fields(form) -> dict:
        return {n: form.cleaned_data[n] for n in form.fields if n not in skip}

    def need(service, what: str):
        if service is None:
            raise ImproperlyConfigured(f"No service to {what} {formset.model.__name__} rows.")
        return service

    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = formset.deleted_forms if formset.can_delete else []
    for form in formset.initial_forms:
        if form in deleted and form.instance.pk is not None:
            need(delete, "delete")(form.instance)
            formset.deleted_objects.append(form.instance)
    for form in formset.initial_forms:
        if form not in deleted and form.has_changed():
            obj = need(update, "update")(form.instance, fields(form))
            formset.changed_objects.append((obj, form.changed_data))
    for form in formset.extra_forms:
        if form not in deleted and form.has_changed():
            formset.new_objects.append(need(create, "create")(fields(form)))


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


def template_download(title: str, columns: list[Column]) -> HttpResponse:
    """An empty table to fill in, red headers for required columns; the examples are on the
    instructions sheet, not as data, so an untouched template imports nothing."""
    table = Sheet(
        title,
        [
            SheetColumn(
                c.header,
                width=c.width,
                header_color="C00000" if c.required else "000000",
                choices=c.choices() if c.choices else None,
            )
            for c in columns
        ],
        freeze_header=True,
    )
    notes = [
        f"{c.header}：{'必填' if c.required else '选填'}。{c.note}"
        + (f"例如：{c.example}" if c.example != "" else "")
        for c in columns
    ]
    instructions = Sheet(
        "填写说明",
        [
            SheetColumn(
                "红色表头为必填列。请勿修改表头，第一张表从第 2 行起每行一条记录。", width=90
            )
        ],
        ([note] for note in notes),
    )
    return xlsx_file_response([table, instructions], f"{title}导入模板.xlsx")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by services: listed and searchable, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExcelImportMixin:
    """Adds the Excel import pages to a ModelAdmin: the form, the template, and the job's
    progress, status (JSON) and result (the initial passwords, downloaded once).

    The admin sets import_kind (an importer registered with core.imports), import_title,
    import_columns, import_template_name, and import_form with import_params(form) for
    extra fields."""

    import_kind: str
    import_title: str
    import_columns: list[Column]
    import_template_name: str
    import_form: type[ImportForm] = ImportForm
    change_list_template = "admin/change_list_import.html"

    def _import_url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def get_urls(self):
        pages = [
            ("import/", self.import_view, "import"),
            ("import/template/", self.import_template_view, "import_template"),
            ("import/<int:job_id>/", self.import_job_view, "import_job"),
            ("import/<int:job_id>/status/", self.import_job_status_view, "import_job_status"),
            ("import/<int:job_id>/result/", self.import_job_result_view, "import_job_result"),
        ]
        return [
            *(
                path(route, self.admin_site.admin_view(view), name=self._import_url_name(name))
                for route, view, name in pages
            ),
            *super().get_urls(),
        ]

    def import_params(self, form) -> dict:
        return {}

    def _import_context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.import_title,
            "template_url": reverse(f"admin:{self._import_url_name('import_template')}"),
            "done_url": reverse(f"admin:{self._import_url_name('changelist')}"),
            "import_url": reverse(f"admin:{self._import_url_name('import')}"),
            **extra,
        }

    def _require_import(self, request) -> None:
        if not self.has_add_permission(request):
            raise PermissionDenied

    def import_view(self, request):
        """GET shows the form; POST checks the whole file at once and either lists every
        problem (nothing is imported) or queues the import and shows its progress."""
        self._require_import(request)
        errors = []
        if request.method == "POST":
            form = self.import_form(request.POST, request.FILES)
            if form.is_valid():
                try:
                    job = import_job_queue(
                        actor=request.user,
                        kind=self.import_kind,
                        upload=form.cleaned_data["file"],
                        params=self.import_params(form),
                    )
                except ImportRejected as exc:
                    errors = exc.errors
                    self.message_user(request, exc.message, messages.ERROR)
                except ApplicationError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    return HttpResponseRedirect(
                        reverse(f"admin:{self._import_url_name('import_job')}", args=[job.pk])
                    )
            else:
                # The field's own reason (an empty file, none chosen) at the top as well.
                self.message_user(request, f"未导入：{form_errors_text(form)}", messages.ERROR)
        else:
            form = self.import_form()
        context = self._import_context(request, form=form, errors=errors)
        return TemplateResponse(request, "admin/import_page.html", context)

    def import_job_view(self, request, job_id: int):
        self._require_import(request)
        job = import_job_for_user(user=request.user, pk=job_id)
        context = self._import_context(
            request,
            job=job,
            caps=IMPORT_WORKFLOW.capabilities(job, request.user),
            state=import_job_state(job),
            status_url=reverse(
                f"admin:{self._import_url_name('import_job_status')}", args=[job.pk]
            ),
            result_url=reverse(
                f"admin:{self._import_url_name('import_job_result')}", args=[job.pk]
            ),
        )
        return TemplateResponse(request, "admin/import_job.html", context)

    def import_job_status_view(self, request, job_id: int):
        self._require_import(request)
        job = import_job_for_user(user=request.user, pk=job_id)
        response = JsonResponse(import_job_state(job))
        response["Cache-Control"] = "no-store"
        return response

    def import_job_result_view(self, request, job_id: int):
        self._require_import(request)
        job = import_job_for_user(user=request.user, pk=job_id)
        try:
            content, filename = import_job_result_take(actor=request.user, job=job)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self._import_url_name('import_job')}", args=[job.pk])
            )
        response = FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES[XLSX],
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def import_template_view(self, request):
        self._require_import(request)
        return template_download(self.import_template_name, self.import_columns)
