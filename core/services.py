"""Helpers every app's services share: role checks, validation, login accounts."""

import re
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .actors import Actor
from .audit import AuditAction, audit_log
from .errors import ApplicationError
from .hashers import InitialPasswordHasher
from .models import LoginLockout, Notification, PasswordChangeRequired, UserPreference
from .roles import GROUP_NAMES, Role, user_add_role, user_has_role

USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$", re.ASCII)


def require_office(user: Actor | None) -> None:
    if user is None or not user_has_role(user, Role.OFFICE):
        raise ApplicationError("只有评议办公室工作人员可以进行此项操作。")


def validate_or_raise(instance: models.Model) -> None:
    """full_clean(), with Django's field messages turned into one ApplicationError."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        messages = [m for field_messages in exc.message_dict.values() for m in field_messages]
        raise ApplicationError("；".join(messages), {"fields": exc.message_dict}) from exc


def generate_initial_password() -> str:
    # Readable on a printed slip: no 0/O or 1/l confusion. Twelve characters with letters and
    # digits both, as the password rules ask of what its owner then chooses (core.passwords).
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _initial_hash(password: str) -> str:
    return make_password(password, hasher=InitialPasswordHasher.algorithm)


def initial_passwords(
    count: int, *, progress: Callable[[int], None] | None = None
) -> list[tuple[str, str]]:
    """`count` new initial passwords, each with its hash as make_password gives it.

    Initial passwords are long random strings replaced at first login, so they take the
    lighter `core.hashers.InitialPasswordHasher` (its docstring says why that is safe);
    OpenSSL's PBKDF2 releases the GIL, so threads hash on every core.
    """
    passwords = [generate_initial_password() for _ in range(count)]
    pairs = []
    with ThreadPoolExecutor(max_workers=settings.PASSWORD_HASH_WORKERS) as pool:
        for done, encoded in enumerate(pool.map(_initial_hash, passwords), start=1):
            pairs.append((passwords[done - 1], encoded))
            if progress is not None:
                progress(done)
    return pairs


def account_create(
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str | None = None,
    prehashed: tuple[str, str] | None = None,
):
    """Create a login for a person; returns (user, initial password, or None when one was given).

    `prehashed` is an initial password with its hash made ahead (initial_passwords), so an
    import hashes on every core before its transaction starts."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ApplicationError("登录名不能为空。")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"登录名“{username}”已被占用。")
    initial = None
    user = User(username=username, first_name=full_name[:150])
    if prehashed is not None:
        initial, user.password = prehashed
    else:
        if not password:
            initial = generate_initial_password()
            user.password = _initial_hash(initial)
        else:
            user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(
            f"登录名“{username}”不符合要求：只能使用字母、数字和 @.+-_，不超过 150 个字符。"
        ) from exc
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ApplicationError(f"登录名“{username}”已被占用。") from exc
    user_add_role(user=user, role=role)
    password_change_require(user=user)
    return user, initial


def password_change_require(*, user) -> None:
    """The next login of `user` must choose a new password before anything else: the office
    knows the present one (it created or reset it)."""
    PasswordChangeRequired.objects.get_or_create(user=user)


def password_change_clear(*, user) -> None:
    """`user` chose their own password."""
    PasswordChangeRequired.objects.filter(user=user).delete()


@transaction.atomic
def notifications_mark_read(*, user, up_to_pk: int) -> int:
    """Mark read the user's unread notifications up to the newest one the page showed, so
    that one arriving while the page was open stays unread; how many were marked."""
    return Notification.objects.filter(user=user, read_at__isnull=True, pk__lte=up_to_pk).update(
        read_at=timezone.now()
    )


@transaction.atomic
def user_preference_set(*, user, large_text: bool) -> UserPreference:
    """Turn 大字模式 on or off for the login; every page it opens afterwards follows."""
    preference, _ = UserPreference.objects.select_for_update().get_or_create(user=user)
    preference.large_text = large_text
    preference.full_clean()
    preference.save()
    return preference


def login_lockouts_clear(*, actor: Actor, lockouts) -> int:
    """Unlock logins locked out after wrong passwords; returns how many were unlocked.

    A lockout counts the failures of one login from one address, which axes may keep in
    several records (one per browser): all of them are cleared. The records live in axes'
    database handler, the one configured (AXES_HANDLER)."""
    require_office(actor)
    unlocked = 0
    for lockout in lockouts:
        deleted, _ = LoginLockout.objects.filter(
            username=lockout.username, ip_address=lockout.ip_address
        ).delete()
        if deleted:
            unlocked += 1
            audit_log(
                actor=actor,
                action=AuditAction.LOGIN_UNLOCK,
                summary=f"解除登录锁定：{lockout.username}（{lockout.ip_address}）",
                data={"username": lockout.username, "ip_address": lockout.ip_address},
            )
    return unlocked


def apply_changes(instance: models.Model, fields: dict, *, allowed: tuple[str, ...]) -> dict:
    """Set `fields` on `instance`, refusing any not in `allowed`; return what really changed.

    The caller validates, saves and writes the audit entry; the returned dict goes in its data.
    """
    changed = {}
    for name, value in fields.items():
        if name not in allowed:
            label = (
                instance._meta.get_field(name).verbose_name
                if name in {f.name for f in instance._meta.fields}
                else name
            )
            raise ApplicationError(f"“{label}”不能在此修改。")
        if getattr(instance, name) != value:
            changed[name] = str(value)
            setattr(instance, name, value)
    return changed


def changed_labels(model: type[models.Model], changed: dict) -> str:
    return "、".join(str(model._meta.get_field(name).verbose_name) for name in changed)


def referencing_kinds(instance: models.Model) -> list[str]:
    """The kinds of record (verbose names) that still point at `instance`.

    Found through the model's reverse relations, hidden ones ("+") included, so a lower app
    learns that records of a higher app refer to its rows without importing that app.
    """
    kinds = []
    for rel in instance._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model._base_manager.filter(**{rel.field.name: instance}).exists():
            kind = str(rel.related_model._meta.verbose_name)
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def delete_or_raise(instance: models.Model, *, refused: str) -> None:
    """instance.delete(), with a protected reference the service did not foresee turned into
    an ApplicationError instead of a 500. `refused` starts the sentence, e.g. "不能删除该单位"."""
    try:
        instance.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        kinds = "、".join(sorted({str(o._meta.verbose_name) for o in objects}))
        raise ApplicationError(f"{refused}：仍有{kinds}与之关联。") from exc


# What the office edits on a login in the admin. Superuser status and raw permissions only a
# superuser may touch; dates of joining and last login are the system's.
USER_EDITABLE = ("username", "first_name", "last_name", "email", "is_active", "is_staff")


def _require_may_edit(actor: Actor, user) -> None:
    if user.is_superuser and not actor.is_superuser:
        raise ApplicationError("只有超级管理员可以修改超级管理员的账号。")


@transaction.atomic
def user_create(*, actor: Actor, username: str, password: str | None, **fields):
    """A login made by hand in the admin (members and subjects get theirs from their own
    services, with their role). No password: the account cannot log in with one."""
    require_office(actor)
    User = get_user_model()
    user = User(username=username.strip())
    apply_changes(user, fields, allowed=USER_EDITABLE)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    validate_or_raise(user)
    user.save()
    if password:
        password_change_require(user=user)
    audit_log(
        actor=actor,
        action=AuditAction.USER_CREATE,
        summary=f"添加登录账号 {user.username}" + ("" if password else "（不能用密码登录）"),
        target=user,
    )
    return user


def _set_relation(user, name: str, new, changed: dict) -> None:
    """Set a many-to-many of the user (groups, permissions), noting it in `changed`."""
    manager = getattr(user, name)
    if set(manager.all()) != set(new):
        manager.set(new)
        changed[name] = "、".join(sorted(str(x) for x in new)) or "（无）"


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user,
    groups=None,
    user_permissions=None,
    is_superuser: bool | None = None,
    **fields,
):
    """Change a login: its details, whether it is active or may enter the admin, its roles
    (groups). The office cannot lock itself out: not its own account, not its own role."""
    require_office(actor)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_may_edit(actor, user)
    changed = apply_changes(user, fields, allowed=USER_EDITABLE)
    if not actor.is_superuser and (
        user_permissions is not None
        or (is_superuser is not None and is_superuser != user.is_superuser)
    ):
        raise ApplicationError("只有超级管理员可以授予超级管理员身份或单独的权限。")
    if is_superuser is not None and is_superuser != user.is_superuser:
        user.is_superuser = is_superuser
        changed["is_superuser"] = str(is_superuser)
    if user.pk == actor.pk and not (user.is_active and user.is_staff):
        raise ApplicationError("不能停用自己的账号，也不能取消自己进入管理后台的权限。")
    if changed:
        validate_or_raise(user)
        user.save()
    if groups is not None:
        office = GROUP_NAMES[Role.OFFICE]
        if (
            user.pk == actor.pk
            and not user.is_superuser
            and user.groups.filter(name=office).exists()
            and office not in {g.name for g in groups}
        ):
            raise ApplicationError(f"不能取消自己的“{office}”角色。")
        _set_relation(user, "groups", groups, changed)
    if user_permissions is not None:
        _set_relation(user, "user_permissions", user_permissions, changed)
    if not changed:
        return user
    audit_log(
        actor=actor,
        action=AuditAction.USER_UPDATE,
        summary=f"修改登录账号 {user.username}：{changed_labels(User, changed)}",
        target=user,
        data=changed,
    )
    return user


@transaction.atomic
def user_password_set(*, actor: Actor, user, password: str | None):
    """Set a login's password (None: it can no longer log in with one). The caller has
    checked the password against the validators; the password is never in the audit.
    Someone else's new password must be changed at their next login; one's own need not."""
    require_office(actor)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_may_edit(actor, user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    if password and user.pk != actor.pk:
        # The office now knows this password: its owner must replace it at next login.
        password_change_require(user=user)
    else:
        password_change_clear(user=user)
    audit_log(
        actor=actor,
        action=AuditAction.USER_PASSWORD,
        summary=f"重设登录账号 {user.username} 的密码"
        if password
        else f"停用登录账号 {user.username} 的密码登录",
        target=user,
    )
    return user
