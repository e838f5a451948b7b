"""Rectification (整改): the reporting steps done, every opinion approved and delivered,
and the plans in every state (missing, awaiting the liaison committee, returned,
approved); reports being written, checked by the assessment groups, and one decided by
the director's meeting."""

import datetime

from django.utils import timezone

from rectification.models import ProblemSource
from rectification.services import (
    rectification_check_record,
    rectification_meeting_decide,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    rectification_report_submit,
    reporting_step_done,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from reviews.models import Campaign, CampaignStage
from subjects.models import Subject
from surveys.groups import subject_group

from . import files


def plan_rows(subject, time_limit: datetime.date) -> dict:
    """The rows of a demo rectification plan: one measure for each problem of the opinion."""
    return {
        p.pk: {
            "measures": "制定专项方案，明确时间表和责任人，按月调度。",
            "responsible": subject.person_name,
            "time_limit": time_limit,
            "target": "问题按期整改到位",
        }
        for p in subject.opinion.problems.all()
    }


def rectification(
    campaign: Campaign, subjects: list, *, office, users: dict, today, dates: dict
) -> None:
    """Opinions approved and delivered after the meeting; plans in every state."""

    meeting_on = dates[CampaignStage.REVIEW][0]
    for step in campaign.reporting_steps.all():
        reporting_step_done(
            actor=office,
            step=step,
            done_on=meeting_on + datetime.timedelta(days=5),
            note="县人大常委会办公室文件",
        )
    delivered_on = min(today, dates[CampaignStage.RECTIFICATION][0] + datetime.timedelta(days=7))
    approved_on = min(delivered_on, dates[CampaignStage.RECTIFICATION][0])
    items = list(campaign.content_items.all())
    liaison = users["liaison"]
    for i, subject in enumerate(subjects):
        opinion = review_opinion_draft(
            actor=office, subject=subject, summary="总体上能够依法履职，工作取得一定成效。"
        )
        if i % 3 == 0:
            review_opinion_problem_add(
                actor=office,
                opinion=opinion,
                content_item=items[3],
                source=ProblemSource.DELIBERATION,
                text="接受询问时对具体问题回答不够具体，整改措施针对性不强。",
            )
        review_opinion_approve(actor=office, opinion=opinion, approved_on=approved_on)
        review_opinion_deliver(actor=office, opinion=opinion, delivered_on=delivered_on)
        subject.refresh_from_db()
        if subject.user.username == "s12":
            continue  # nothing yet: overdue once the month has passed
        rectification_plan_save(
            actor=subject.user,
            subject=subject,
            rows=plan_rows(subject, delivered_on + datetime.timedelta(days=60)),
        )
        rectification_plan_submit(actor=subject.user, subject=subject)
        decider = (
            liaison if subject.liaison_committee.users.filter(pk=liaison.pk).exists() else office
        )
        if subject.user.username == "s04":
            continue  # awaiting the demo liaison committee's decision
        if subject.user.username == "s08":
            rectification_plan_return(
                actor=decider,
                subject=subject,
                reason="整改措施不够具体，请细化到月并明确量化目标。",
            )
            continue
        rectification_plan_approve(actor=decider, subject=subject)
        if subject.user.username == "s01":
            rectification_report_save(
                actor=subject.user,
                subject=subject,
                text="正在按整改方案推进，情况如下。",
                rows={
                    p.pk: {"status": "in_progress", "done": "已完成流程梳理，正在推进。"}
                    for p in subject.opinion.problems.all()
                },
            )
        if subject.user.username in ("s02", "s03"):
            report_checked(subject)
        if subject.user.username == "s02":
            # Seed 000: "经县人大常委会主任会议决定通过或进一步整改", no ballot.
            rectification_meeting_decide(
                actor=office,
                subject=subject,
                decided_on=timezone.localdate(),
                minutes=files.demo_pdf(
                    "主任会议纪要.pdf",
                    "县人大常委会主任会议纪要",
                    [
                        "会议听取了第二履职初评小组关于唐晓云同志整改情况的检查报告。",
                        "会议认为整改措施落实到位，决定通过其整改情况报告。",
                    ],
                ),
                outcome="satisfied",
            )


def report_checked(subject: Subject) -> None:
    """The subject reports in full; its assessment group checks the report for the
    director's meeting (seed 000: 履职初评小组负责对整改情况进行检查督促)."""
    rectification_report_save(
        actor=subject.user,
        subject=subject,
        text="按照评议意见逐条整改，已全部完成，情况如下。",
        rows={
            p.pk: {"status": "done", "done": "已按整改方案完成，相关制度已印发执行。"}
            for p in subject.opinion.problems.all()
        },
    )
    rectification_report_submit(actor=subject.user, subject=subject)
    rectification_check_record(
        actor=subject_group(subject).leader,
        subject=subject,
        text="小组到单位查阅资料、召开座谈会，逐条核实，整改措施已落实到位。",
    )
