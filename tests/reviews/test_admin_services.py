"""The campaign's change page in the admin writes stage dates and content items through the
reviews services: each change leaves an audit entry, and a refused change writes nothing."""

import datetime

import pytest

from core.models import AuditEntry
from reviews.models import CampaignStage, ContentItem, Stage
from reviews.services import campaign_implementation_plan_attach, campaign_stage_move
from surveys.models import FindingKind
from surveys.services import finding_add
from tests.admin_forms import add_row, form_data, inline_rows
from tests.factories import (
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    make_group,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def _url(campaign) -> str:
    return f"/admin/reviews/campaign/{campaign.pk}/change/"


def _page(client, campaign):
    page = client.get(_url(campaign))
    assert page.status_code == 200
    return page


def _started(office):
    """A campaign in the preliminary stage, with one subject."""
    campaign = CampaignFactory(actor=office)
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=pdf_upload(),
        approved_on=campaign.created_at.date(),
    )
    subject = SubjectFactory(campaign=campaign)
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    return campaign, subject


def _index(page, prefix: str, match) -> int:
    return next(i for i, obj in enumerate(inline_rows(page, prefix)) if match(obj))


class TestStageDates:
    def test_edit_goes_through_the_service(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        page = _page(client, campaign)
        data = form_data(page)
        i = _index(page, "stages", lambda s: s.kind == CampaignStage.REVIEW)
        data[f"stages-{i}-planned_start"] = "2017-10-20"
        data[f"stages-{i}-planned_end"] = "2017-10-21"

        response = client.post(_url(campaign), data)

        assert response.status_code == 302
        review = campaign.stages.get(kind=CampaignStage.REVIEW)
        assert review.planned_start == datetime.date(2017, 10, 20)
        entry = AuditEntry.objects.get(action="stage.update")
        assert entry.actor == office and entry.campaign == campaign
        assert "评议阶段" in entry.summary and "计划开始" in entry.summary
        assert entry.data == {"planned_start": "2017-10-20", "planned_end": "2017-10-21"}

    def test_finished_stage_is_refused_and_nothing_is_written(self, client, office):
        campaign, _ = _started(office)
        client.force_login(office)
        page = _page(client, campaign)
        data = form_data(page)
        done = _index(page, "stages", lambda s: s.kind == CampaignStage.PREPARATION)
        review = _index(page, "stages", lambda s: s.kind == CampaignStage.REVIEW)
        data[f"stages-{review}-planned_start"] = "2017-10-20"  # fine on its own
        data[f"stages-{done}-planned_end"] = "2017-06-30"  # the preparation stage is over
        data["composition_size"] = "29"

        response = client.post(_url(campaign), data)

        body = response.content.decode()
        assert response.status_code == 200
        assert "准备阶段已结束，不能再修改其计划日期" in body
        # The page comes back with what was typed, not an empty form.
        assert 'value="29"' in body
        assert campaign.stages.get(kind=CampaignStage.REVIEW).planned_start is None
        assert campaign.stages.get(kind=CampaignStage.PREPARATION).planned_end is None
        campaign.refresh_from_db()
        assert campaign.composition_size == 27
        assert not AuditEntry.objects.filter(
            action__in=["stage.update", "campaign.update"]
        ).exists()

    def test_end_before_start_is_refused(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        page = _page(client, campaign)
        data = form_data(page)
        i = _index(page, "stages", lambda s: s.kind == CampaignStage.REVIEW)
        data[f"stages-{i}-planned_start"] = "2017-10-20"
        data[f"stages-{i}-planned_end"] = "2017-10-01"

        response = client.post(_url(campaign), data)

        assert response.status_code == 200
        assert "计划结束日期不能早于计划开始日期" in response.content.decode()
        assert not Stage.objects.filter(campaign=campaign, planned_start__isnull=False).exists()
        assert not AuditEntry.objects.filter(action="stage.update").exists()


class TestContentItems:
    def test_add_edit_delete_go_through_the_service(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        page = _page(client, campaign)
        data = form_data(page)
        items = inline_rows(page, "content_items")
        data["content_items-0-title"] = "依法行政、公正司法情况"
        data["content_items-1-DELETE"] = "on"
        add_row(data, "content_items", position="9", title="优化营商环境情况", description="")

        response = client.post(_url(campaign), data)

        assert response.status_code == 302
        titles = list(campaign.content_items.values_list("title", flat=True))
        assert "依法行政、公正司法情况" in titles and "优化营商环境情况" in titles
        assert items[1].title not in titles
        actions = set(
            AuditEntry.objects.filter(actor=office, campaign=campaign).values_list(
                "action", flat=True
            )
        )
        assert {"content_item.create", "content_item.update", "content_item.delete"} <= actions
        deleted = AuditEntry.objects.get(action="content_item.delete")
        assert items[1].title in deleted.summary

    def test_items_with_findings_keep_their_title_and_stay(self, client, office):
        campaign, subject = _started(office)
        group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
        used = campaign.content_items.order_by("position").first()
        finding_add(
            actor=group.leader,
            subject=subject,
            content_item=used,
            kind=FindingKind.PROBLEM,
            text="审批时限长",
        )
        client.force_login(office)
        page = _page(client, campaign)
        i = _index(page, "content_items", lambda item: item.pk == used.pk)
        other = _index(page, "content_items", lambda item: item.pk != used.pk)
        count = campaign.content_items.count()

        for change in ({f"content_items-{i}-DELETE": "on"}, {f"content_items-{i}-title": "新名称"}):
            data = form_data(page)
            data[f"content_items-{other}-description"] = "顺带修改的说明"
            data.update(change)

            response = client.post(_url(campaign), data)

            assert response.status_code == 200
            assert f"评议内容“{used.title}”下已有调查发现" in response.content.decode()
            assert campaign.content_items.count() == count
            assert ContentItem.objects.get(pk=used.pk).title == used.title
            assert not campaign.content_items.filter(description="顺带修改的说明").exists()
            assert not AuditEntry.objects.filter(action__startswith="content_item.").exists()

        # Its order and explanation may still change.
        data = form_data(page)
        data[f"content_items-{i}-description"] = "含行政审批"
        assert client.post(_url(campaign), data).status_code == 302
        assert ContentItem.objects.get(pk=used.pk).description == "含行政审批"
        assert AuditEntry.objects.filter(action="content_item.update").count() == 1

    def test_closed_campaign_refuses_new_items(self, client, office):
        campaign, _ = _started(office)
        # Closing takes a whole review and rectification; the test sets the stage itself.
        campaign.stage = CampaignStage.CLOSED
        campaign.save(update_fields=["stage"])
        client.force_login(office)
        data = form_data(_page(client, campaign))
        add_row(data, "content_items", position="9", title="新增内容", description="")

        response = client.post(_url(campaign), data)

        assert response.status_code == 200
        assert "已结束，评议内容不能再修改" in response.content.decode()
        assert not campaign.content_items.filter(title="新增内容").exists()


def test_member_order_edited_in_the_list_goes_through_the_service(client, office):
    first, second = MemberFactory(name="甲", position=1), MemberFactory(name="乙", position=2)
    client.force_login(office)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-position": "3",
        "form-1-id": second.pk,
        "form-1-position": "2",
        "_save": "保存",
    }

    response = client.post("/admin/reviews/member/", data)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.position == 3
    entry = AuditEntry.objects.get(action="member.update")
    assert entry.actor == office and entry.data == {"position": "3"}
