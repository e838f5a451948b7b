"""The demo's people: the office, the leadership, the 27 members of the standing committee
(one of them the demo `member`), a non-voting attendee, and the liaison committee's
staff. Every login has the password DEMO_PASSWORD."""

from django.contrib.auth import get_user_model

from core.roles import Role, user_add_role
from reviews.models import Member

DEMO_PASSWORD = "demo12345"
COMPOSITION_SIZE = 27

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建国", "秀英", "志刚", "丽华", "国强", "红梅", "海涛", "春燕", "立军", "玉兰"]

LOGINS = [
    ("评议办公室工作人员", "office"),
    ("述职评议工作领导小组（组长）", "leader"),
    ("主任会议成员", "director"),
    ("常委会组成人员", "member"),
    ("评议对象（县教育局局长，述职报告待上传）", "subject"),
    ("联系委室（财政经济工作委员会）", "liaison"),
]


def demo_user(username: str, name: str, role: Role, password_hash: str, *, staff: bool = False):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"first_name": name, "password": password_hash, "is_staff": staff},
    )
    user_add_role(user=user, role=role)
    return user


def demo_people(password_hash: str) -> dict:
    office = demo_user("office", "柏晓洁", Role.OFFICE, password_hash, staff=True)
    leader = demo_user("leader", "姚玉成", Role.LEADING_GROUP, password_hash, staff=True)
    director = demo_user("director", "王恒明", Role.DIRECTORS_MEETING, password_hash)
    liaison = demo_user("liaison", "陈蓬远", Role.LIAISON, password_hash)
    people = [(leader, "常委会主任"), (director, "常委会副主任")]
    for i in range(COMPOSITION_SIZE - len(people)):
        username = "member" if i == 0 else f"m{i + 1:02d}"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        people.append((demo_user(username, name, Role.MEMBER, password_hash), "常委会委员"))
    for position, (user, title) in enumerate(people, start=1):
        user_add_role(user=user, role=Role.MEMBER)
        Member.objects.get_or_create(
            user=user, defaults={"name": user.first_name, "title": title, "position": position}
        )
    # One non-voting attendee, as committees have: not counted in the composition.
    attendee = demo_user("m99", "赵列席", Role.MEMBER, password_hash)
    Member.objects.get_or_create(
        user=attendee,
        defaults={
            "name": "赵列席",
            "title": "列席人员",
            "counts_toward_composition": False,
            "position": 99,
        },
    )
    users = {u.username: u for u, _ in people}
    return {"office": office, "liaison": liaison, **users}
