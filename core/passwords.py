"""Password rules for office-issued accounts, beyond Django's own validators (settings
AUTH_PASSWORD_VALIDATORS). They apply wherever a person types a password in a form — the
password change, the admin, an initial password the office types — and not to
`set_password` calls in code (the demo's shared password, generated initial passwords)."""

from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError

RULE = "密码须同时包含字母和数字。"


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    """Django's rule; its message of 5.2 has no Chinese translation yet."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Django's rule, said in plain Chinese (its translation reads 密码跟 用户名 太相似了)."""

    def get_error_message(self) -> str:
        return "密码与%(verbose_name)s太相似。"

    def get_help_text(self) -> str:
        return "密码不能与登录名、姓名等个人信息太相似。"


class LettersAndDigitsValidator:
    """Letters and digits both: a word or a date alone is among the first guesses."""

    def validate(self, password: str, user=None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(RULE, code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return RULE


def initial_password_validate(password: str, *, username: str, full_name: str) -> None:
    """Check a password the office types for a new account, as if its owner chose it
    (also against the login and the name); raises ValidationError with every problem."""
    user = get_user_model()(username=username, first_name=full_name)
    django_rules.validate_password(password, user=user)
