"""Posting the admin's pages as the office's browser would: every field of the main form and
of each inline, as rendered, so a test changes only what it means to change."""

from django import forms


def _put(data: dict, form) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value


def form_data(page) -> dict:
    """The POST data of an admin add or change page (a GET response) left as it is."""
    data: dict = {}
    _put(data, page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.total_form_count())
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms:
            _put(data, form)
    return data


def inline_rows(page, prefix: str) -> list:
    """The instances behind an inline's rows, in the order of their form indexes."""
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return [form.instance for form in inline.formset.forms]
    raise KeyError(prefix)


def add_row(data: dict, prefix: str, **fields) -> None:
    """Fill one more row of an inline, as "add another" does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
