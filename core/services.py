"""Helpers every app's services share: role checks, validation, login accounts."""

import re
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from .errors import ApplicationError
from .roles import Role, user_add_role, user_has_role

USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$", re.ASCII)


def require_office(user) -> None:
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
    # Readable on a printed slip: no 0/O or 1/l confusion.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def account_create(*, username: str, full_name: str, role: Role, password: str | None = None):
    """Create a login for a person; returns (user, initial password, or None when one was given)."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ApplicationError("登录名不能为空。")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"登录名“{username}”已被占用。")
    initial = None
    if not password:
        initial = password = generate_initial_password()
    user = User(username=username, first_name=full_name[:150])
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
    return user, initial


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
