"""Excel import of a campaign's review subjects: all rows or none."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.actors import Actor
from core.audit import audit_log
from core.imports import import_now
from core.roles import Role, user_has_role
from core.services import USERNAME_RE, initial_passwords, require_office
from core.xlsx import (
    Column,
    ImportRejected,
    ImportResult,
    Row,
    RowError,
    import_rows,
    parse_date,
    parse_text,
    read_pasted,
    read_table,
)
from reviews.models import Campaign

from .audit import AuditAction
from .models import REVIEW_FORM_WORDS, LiaisonCommittee, Unit
from .services import require_preparation, subject_create


def _parse_review_form(value) -> str:
    text = parse_text(value)
    if text not in REVIEW_FORM_WORDS:
        raise ValueError(f"“{text}”应填“现场”或“书面”")
    return REVIEW_FORM_WORDS[text]


def _unit_names() -> list[str]:
    return list(Unit.objects.order_by("organ_type", "name").values_list("name", flat=True))


def _committee_names() -> list[str]:
    return list(LiaisonCommittee.objects.order_by("name").values_list("name", flat=True))


SUBJECT_COLUMNS = [
    Column("姓名", "person_name", example="金鑫", width=12),
    Column(
        "单位",
        "unit",
        example="县发展和改革委员会",
        width=24,
        note="须与系统“单位”中的名称一致，可从下拉列表中选择。",
        choices=_unit_names,
    ),
    Column("职务", "post", example="主任", width=14),
    Column("任现职时间", "appointed_on", parse=parse_date, example="2014-03-01", width=14),
    Column(
        "评议形式",
        "review_form",
        parse=_parse_review_form,
        example="现场",
        width=12,
        note="填“现场”或“书面”，可从下拉列表中选择。",
        choices=lambda: ["现场", "书面"],
    ),
    Column(
        "联系委室",
        "liaison_committee",
        example="财政经济工作委员会",
        width=22,
        note="须与系统“联系委室”中的名称一致，可从下拉列表中选择。",
        choices=_committee_names,
    ),
    Column(
        "登录名",
        "username",
        required=False,
        example="jinxin",
        width=14,
        note="填写后为其开通登录账号；已有账号的填原登录名。",
    ),
]


def _check_rows(campaign: Campaign, rows) -> list[RowError]:
    errors: list[RowError] = []
    units = {u.name: u for u in Unit.objects.all()}
    committees = {c.name: c for c in LiaisonCommittee.objects.all()}
    existing = set(campaign.subjects.values_list("unit__name", "person_name"))
    usernames = [r.values["username"] for r in rows if r.values.get("username")]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    taken_in_campaign = set(
        campaign.subjects.filter(user__username__in=usernames).values_list(
            "user__username", flat=True
        )
    )
    seen_people: dict[tuple, int] = {}
    seen_usernames: dict[str, int] = {}
    for row in rows:
        v = row.values
        if v["unit"] and v["unit"] not in units:
            errors.append(
                RowError(row.number, "单位", f"单位“{v['unit']}”不存在，请先在系统中添加该单位")
            )
        if v["liaison_committee"] and v["liaison_committee"] not in committees:
            errors.append(
                RowError(row.number, "联系委室", f"联系委室“{v['liaison_committee']}”不存在")
            )
        key = (v["unit"], v["person_name"])
        if v["unit"] and v["person_name"]:
            if key in seen_people:
                errors.append(RowError(row.number, "姓名", f"与第 {seen_people[key]} 行重复"))
            elif key in existing:
                errors.append(RowError(row.number, "姓名", "本次活动已有该评议对象"))
            seen_people.setdefault(key, row.number)
        username = v.get("username")
        if username:
            if not USERNAME_RE.match(username):
                errors.append(RowError(row.number, "登录名", "只能使用字母、数字和 @.+-_"))
            elif username in seen_usernames:
                errors.append(
                    RowError(row.number, "登录名", f"与第 {seen_usernames[username]} 行重复")
                )
            elif username in taken_in_campaign:
                errors.append(RowError(row.number, "登录名", "已是本次活动另一名评议对象的账号"))
            elif username in users and (
                not user_has_role(users[username], Role.SUBJECT) or users[username].is_staff
            ):
                errors.append(RowError(row.number, "登录名", "已被其他人员使用"))
            seen_usernames.setdefault(username, row.number)
    return errors


def _campaign(params: dict) -> Campaign:
    campaign = Campaign.objects.get(pk=params["campaign"])
    require_preparation(campaign)
    return campaign


def subjects_check(*, actor: Actor, upload, params: dict) -> list[Row]:
    """Read and check the whole file; any problem raises ImportRejected naming them all."""
    require_office(actor)
    campaign = _campaign(params)
    rows, errors = read_table(upload, SUBJECT_COLUMNS)
    errors += _check_rows(campaign, rows)
    if errors:
        raise ImportRejected(errors, SUBJECT_COLUMNS)
    return rows


def _new_logins(rows: list[Row]) -> list[str]:
    usernames = [r.values["username"] for r in rows if r.values.get("username")]
    existing = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    return [u for u in usernames if u not in existing]


def subjects_logins_needed(*, rows: list[Row], params: dict) -> int:
    return len(_new_logins(rows))  # subjects from an earlier year keep their login


def subjects_create(
    *, actor: Actor, rows: list[Row], passwords: list[tuple[str, str]], params: dict
) -> ImportResult:
    """Create every subject in the caller's transaction, new logins with prehashed initial
    passwords. The rows are checked again: things may have changed since the check."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=params["campaign"])
    require_preparation(campaign)
    errors = _check_rows(campaign, rows)
    if errors:
        raise ImportRejected(errors, SUBJECT_COLUMNS)
    units = {u.name: u for u in Unit.objects.all()}
    committees = {c.name: c for c in LiaisonCommittee.objects.all()}
    start = campaign.subjects.count()
    new_logins = set(_new_logins(rows))
    prehashed = iter(passwords)

    def create(row):
        v = row.values
        username = v.get("username") or ""
        subject, initial = subject_create(
            actor=actor,
            campaign=campaign,
            person_name=v["person_name"],
            post=v["post"],
            unit=units[v["unit"]],
            appointed_on=v["appointed_on"],
            review_form=v["review_form"],
            liaison_committee=committees[v["liaison_committee"]],
            username=username,
            position=start + row.number - 1,
            prehashed=next(prehashed, None) if username in new_logins else None,
        )
        return subject, (subject.person_name, subject.user.username, initial) if initial else None

    result = import_rows(rows, create)
    audit_log(
        actor=actor,
        action=AuditAction.SUBJECT_IMPORT,
        summary=f"“{campaign.name}”从 Excel 导入评议对象 {len(result.created)} 名",
        target=campaign,
        campaign=campaign,
        data={"count": len(result.created)},
    )
    return result


def subjects_import(*, actor: Actor, campaign: Campaign, upload) -> ImportResult:
    """Check and import in this process (scripts, tests); the admin page queues a job."""
    return import_now(actor=actor, kind="subjects", upload=upload, params={"campaign": campaign.pk})


def subjects_paste_check(*, actor: Actor, campaign: Campaign, text: str) -> list[Row]:
    """Rows pasted from Excel, checked as an import is: every problem by row and column,
    in order, raised together; nothing is written."""
    require_office(actor)
    require_preparation(campaign)
    rows, errors = read_pasted(text, SUBJECT_COLUMNS)
    errors += _check_rows(campaign, rows)
    if errors:
        raise ImportRejected(errors, SUBJECT_COLUMNS)
    return rows


@transaction.atomic
def subjects_paste_create(*, actor: Actor, campaign: Campaign, text: str) -> ImportResult:
    """Add the pasted subjects in the order given (positions follow the campaign's last),
    with an initial password for each new login, or none of them."""
    rows = subjects_paste_check(actor=actor, campaign=campaign, text=text)
    passwords = initial_passwords(len(_new_logins(rows)))
    ordered = [Row(number=i, values=row.values) for i, row in enumerate(rows, start=2)]
    try:
        return subjects_create(
            actor=actor, rows=ordered, passwords=passwords, params={"campaign": campaign.pk}
        )
    except ImportRejected as exc:  # name the pasted lines, not the renumbered rows
        lines = {r.number: row.number for r, row in zip(ordered, rows, strict=True)}
        raise ImportRejected(
            [RowError(lines.get(e.row, e.row), e.column, e.message) for e in exc.errors],
            SUBJECT_COLUMNS,
        ) from exc
