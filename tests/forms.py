"""The forms a page draws, read from its HTML, and what a browser would send from each.

Tests post what the page actually offers instead of hand-written dicts, so a field the
page always sends cannot be forgotten by a test, and the property test in
tests/core/test_complete_forms.py can remove or duplicate each field in turn."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Input types a browser sends as typed text (their value attribute, possibly empty).
_TEXTUAL = {
    "text",
    "hidden",
    "date",
    "datetime-local",
    "time",
    "number",
    "email",
    "url",
    "tel",
    "search",
    "password",
    "month",
    "week",
    "color",
    "range",
}


@dataclass
class Control:
    tag: str  # input, select, textarea
    name: str
    kind: str = ""  # the input's type; "select", "select-multiple", "textarea"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    required: bool = False
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, disabled


@dataclass
class PageForm:
    action: str  # path of the URL the form posts to
    method: str
    enctype: str
    controls: list[Control] = field(default_factory=list)
    # Buttons that post elsewhere (formaction): their paths.
    formactions: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        seen = []
        for c in self.controls:
            if c.name not in seen:
                seen.append(c.name)
        return seen

    def control(self, name: str) -> Control:
        return next(c for c in self.controls if c.name == name)

    def browser_pairs(self) -> list[tuple[str, str]]:
        """The (name, value) pairs a browser sends when the form is submitted untouched."""
        pairs = []
        for c in self.controls:
            if c.disabled:
                continue
            if c.kind in ("checkbox", "radio"):
                if c.checked:
                    pairs.append((c.name, c.value or "on"))
            elif c.kind == "file":
                continue  # an empty file part: Django's parser drops it
            elif c.kind == "select":
                enabled = [o for o in c.options if not o[2]]
                chosen = [o for o in enabled if o[1]] or enabled[:1]
                pairs += [(c.name, o[0]) for o in chosen[-1:]]
            elif c.kind == "select-multiple":
                pairs += [(c.name, o[0]) for o in c.options if o[1] and not o[2]]
            elif c.kind in ("submit", "button", "reset", "image"):
                continue
            else:
                pairs.append((c.name, c.value))
        return pairs


class _FormParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.by_id: dict[str, PageForm] = {}
        self.select: Control | None = None
        self.option: list | None = None
        self.textarea: Control | None = None
        self.late: list[tuple[str, Control]] = []  # controls with form="id" outside their form

    def _owner(self, attrs: dict) -> PageForm | None:
        if attrs.get("form"):
            return self.by_id.get(attrs["form"])
        return self.form

    def _add(self, attrs: dict, control: Control):
        if attrs.get("form") and attrs["form"] not in self.by_id:
            self.late.append((attrs["form"], control))
            return
        owner = self._owner(attrs)
        if owner is not None and control.name:
            owner.controls.append(control)

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            action = urljoin(self.base, attrs.get("action") or self.base)
            self.form = PageForm(
                action=urlsplit(action).path,
                method=(attrs.get("method") or "get").lower(),
                enctype=attrs.get("enctype", ""),
            )
            self.forms.append(self.form)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.form
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            self._add(
                attrs,
                Control(
                    tag,
                    attrs.get("name", ""),
                    kind,
                    attrs.get("value", ""),
                    "checked" in attrs,
                    "disabled" in attrs,
                    "required" in attrs,
                ),
            )
        elif tag == "button":
            owner = self._owner(attrs)
            if owner is not None and attrs.get("formaction"):
                owner.formactions.append(urlsplit(urljoin(self.base, attrs["formaction"])).path)
        elif tag == "select":
            kind = "select-multiple" if "multiple" in attrs else "select"
            self.select = Control(
                tag,
                attrs.get("name", ""),
                kind,
                disabled="disabled" in attrs,
                required="required" in attrs,
            )
            self._add(attrs, self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, "disabled" in attrs, ""]
        elif tag == "textarea":
            self.textarea = Control(
                tag,
                attrs.get("name", ""),
                "textarea",
                disabled="disabled" in attrs,
                required="required" in attrs,
            )
            self._add(attrs, self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option[3] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value, selected, disabled, text = self.option
            self.select.options.append(
                (text.strip() if value is None else value, selected, disabled)
            )
        self.option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "form":
            self.form = None

    def close(self):
        super().close()
        for form_id, control in self.late:
            if form_id in self.by_id and control.name:
                self.by_id[form_id].controls.append(control)


def page_forms(html: str, base: str = "/") -> list[PageForm]:
    parser = _FormParser(base)
    parser.feed(html)
    parser.close()
    return parser.forms


def page_form(client, page_url: str, action: str) -> PageForm:
    """The POST form on page_url that posts to `action` (its own action or a formaction)."""
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    forms = page_forms(response.content.decode(), page_url)
    path = urlsplit(action).path
    for form in forms:
        if form.method == "post" and (form.action == path or path in form.formactions):
            return form
    posted = sorted({f.action for f in forms if f.method == "post"})
    raise AssertionError(f"{page_url} draws no form posting to {path}; it posts to {posted}")


def browser_data(client, page_url: str, action: str, **overrides) -> dict:
    """What a browser sends from the page's form to `action`, with `overrides` typed in
    (a list value sends the name several times; None leaves the field out)."""
    data: dict = {}
    for name, value in page_form(client, page_url, action).browser_pairs():
        data.setdefault(name, []).append(value)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
