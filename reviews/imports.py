"""Excel import of the standing committee's members: all rows or none."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.imports import import_now
from core.services import USERNAME_RE, initial_passwords, require_office
from core.xlsx import (
    Column,
    ImportRejected,
    ImportResult,
    Row,
    RowError,
    import_rows,
    parse_yes_no,
    read_pasted,
    read_table,
)

from .audit import AuditAction
from .models import Member
from .services import member_create

MEMBER_COLUMNS = [
    Column("姓名", "name", example="王恒亮", width=12),
    Column("职务", "title", example="常委会副主任", width=18),
    Column("登录名", "username", example="wanghl", width=14),
    Column(
        "计入组成人员",
        "counts",
        required=False,
        parse=parse_yes_no,
        example="是",
        width=14,
        note="填“是”或“否”，不填视为“是”。列席人员填“否”。",
        choices=lambda: ["是", "否"],
    ),
]


def _check_rows(rows) -> list[RowError]:
    errors: list[RowError] = []
    usernames = [r.values["username"] for r in rows if r.values.get("username")]
    taken = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    member_names = set(Member.objects.filter(is_active=True).values_list("name", flat=True))
    seen_usernames: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in rows:
        v = row.values
        username, name = v.get("username"), v.get("name")
        if username:
            if not USERNAME_RE.match(username):
                errors.append(RowError(row.number, "登录名", "只能使用字母、数字和 @.+-_"))
            elif username in seen_usernames:
                errors.append(
                    RowError(row.number, "登录名", f"与第 {seen_usernames[username]} 行重复")
                )
            elif username in taken:
                errors.append(RowError(row.number, "登录名", f"登录名“{username}”已被占用"))
            seen_usernames.setdefault(username, row.number)
        if name:
            if name in seen_names:
                errors.append(RowError(row.number, "姓名", f"与第 {seen_names[name]} 行重复"))
            elif name in member_names:
                errors.append(RowError(row.number, "姓名", "已是在任的常委会组成人员"))
            seen_names.setdefault(name, row.number)
    return errors


def members_check(*, actor: Actor, upload, params: dict | None = None) -> list[Row]:
    """Read and check the whole file; any problem raises ImportRejected naming them all."""
    require_office(actor)
    rows, errors = read_table(upload, MEMBER_COLUMNS)
    errors += _check_rows(rows)
    if errors:
        raise ImportRejected(errors, MEMBER_COLUMNS)
    return rows


def members_logins_needed(*, rows: list[Row], params: dict | None = None) -> int:
    return len(rows)  # every member gets a login


def members_create(
    *, actor: Actor, rows: list[Row], passwords: list[tuple[str, str]], params: dict | None = None
) -> ImportResult:
    """Create every member in the caller's transaction, each login with a prehashed
    initial password. The rows are checked again: a login may have been taken since."""
    require_office(actor)
    errors = _check_rows(rows)
    if errors:
        raise ImportRejected(errors, MEMBER_COLUMNS)
    start = Member.objects.count()
    prehashed = iter(passwords)

    def create(row):
        v = row.values
        member, initial = member_create(
            actor=actor,
            name=v["name"],
            title=v["title"],
            username=v["username"],
            counts_toward_composition=v["counts"] if v["counts"] is not None else True,
            position=start + row.number - 1,
            prehashed=next(prehashed, None),
        )
        return member, (member.name, member.user.username, initial) if initial else None

    result = import_rows(rows, create)
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_IMPORT,
        summary=f"从 Excel 导入常委会组成人员 {len(result.created)} 名",
        data={"count": len(result.created)},
    )
    return result


def members_import(*, actor: Actor, upload) -> ImportResult:
    """Check and import in this process (scripts, tests); the admin page queues a job."""
    return import_now(actor=actor, kind="members", upload=upload)


def members_paste_check(*, actor: Actor, text: str) -> list[Row]:
    """Rows pasted from Excel, checked as an import is; every problem by row and column."""
    require_office(actor)
    rows, errors = read_pasted(text, MEMBER_COLUMNS)
    errors += _check_rows(rows)
    if errors:
        raise ImportRejected(errors, MEMBER_COLUMNS)
    return rows


# The office's page takes as many rows from a file as from a paste: every login's initial
# password is hashed in the request (the admin's queued import is for more).
UPLOAD_MAX_ROWS = 500


def members_upload_check(*, actor: Actor, upload) -> tuple[list[Row], str]:
    """An Excel file of members on the office's page, checked as a paste is (every problem
    by the sheet's row and column); the rows, and the same rows as paste text for the
    confirmation to send back, so saving goes through members_paste_create."""
    require_office(actor)
    rows, errors = read_table(upload, MEMBER_COLUMNS, max_rows=UPLOAD_MAX_ROWS)
    errors += _check_rows(rows)
    if errors:
        raise ImportRejected(errors, MEMBER_COLUMNS)
    return rows, members_paste_text(rows)


def members_paste_text(rows: list[Row]) -> str:
    """Checked rows as the tab-separated lines read_pasted reads back into the same rows."""

    def cell(column, value) -> str:
        if column.key == "counts":
            return "" if value is None else ("是" if value else "否")
        return " ".join(str(value or "").split())  # no tab or line break inside a cell

    return "\n".join(
        "\t".join(cell(c, row.values.get(c.key)) for c in MEMBER_COLUMNS) for row in rows
    )


@transaction.atomic
def members_paste_create(*, actor: Actor, text: str) -> ImportResult:
    """Add the pasted members in the order given, each with a new login, or none."""
    rows = members_paste_check(actor=actor, text=text)
    ordered = [Row(number=i, values=row.values) for i, row in enumerate(rows, start=2)]
    try:
        return members_create(actor=actor, rows=ordered, passwords=initial_passwords(len(rows)))
    except ImportRejected as exc:  # name the pasted lines, not the renumbered rows
        lines = {r.number: row.number for r, row in zip(ordered, rows, strict=True)}
        raise ImportRejected(
            [RowError(lines.get(e.row, e.row), e.column, e.message) for e in exc.errors],
            MEMBER_COLUMNS,
        ) from exc
