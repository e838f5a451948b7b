"""The 评议意见书 as a rendered document (registered with core.documents in apps.py)."""

from django.http import Http404

from core.roles import Role, user_has_role
from subjects.models import Subject

from .selectors import rectification_subject_for_user


def opinion_render(object_id: int) -> tuple[str, dict, str]:
    subject = Subject.objects.select_related(
        "campaign", "unit", "liaison_committee", "opinion"
    ).get(pk=object_id)
    problems = subject.opinion.problems.select_related("content_item").order_by(
        "content_item__position", "position"
    )
    return (
        "rectification/opinion_print.html",
        {"subject": subject, "opinion": subject.opinion, "problems": problems, "pdf": True},
        f"{subject.person_name}评议意见书.pdf",
    )


def opinion_campaign(object_id: int):
    return Subject.objects.select_related("campaign").get(pk=object_id).campaign


def opinion_title_for(user, object_id: int) -> str:
    subject = rectification_subject_for_user(user=user, pk=object_id)
    opinion = getattr(subject, "opinion", None)
    if opinion is None or (opinion.status == "draft" and not user_has_role(user, Role.OFFICE)):
        raise Http404("评议意见尚未通过。")
    return f"对{subject.person_name}的评议意见书"
