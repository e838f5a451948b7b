"""Steps every browser journey takes."""

from tests.factories import PASSWORD


def login_as(page, url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form and land on 我的工作."""
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/my-work/")
