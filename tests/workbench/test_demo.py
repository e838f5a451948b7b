import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.models import AuditEntry
from core.roles import Role, user_has_role
from reviews.models import Campaign, CampaignStage, Member
from subjects.models import ReviewForm, Subject
from surveys.selectors import responses_waiting
from workbench.demo import DEMO_PASSWORD, LOGINS, demo_load

pytestmark = pytest.mark.django_db


def _login(client, username: str) -> None:
    """Through the login form, as a person does: the demo's logins need no password change."""
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == "/my-work/"


def test_demo_shaped_like_the_county_campaign_and_idempotent(client):
    campaign, created = demo_load(today=datetime.date(2017, 9, 1))
    assert created
    assert campaign.name == "2017年度县人大常委会述职评议"
    assert campaign.stage == CampaignStage.PRELIMINARY
    subjects = Subject.objects.filter(campaign=campaign)
    assert subjects.count() == 12
    assert subjects.filter(review_form=ReviewForm.ON_SITE).count() == 6
    assert subjects.filter(review_form=ReviewForm.WRITTEN).count() == 6
    stages = {s.kind: s for s in campaign.stages.all()}
    assert stages["preparation"].planned_start == datetime.date(2017, 8, 1)
    assert stages["rectification"].planned_end == datetime.date(2017, 11, 30)
    assert (
        Member.objects.filter(counts_toward_composition=True).count() == campaign.composition_size
    )

    counts = (
        Campaign.objects.count(),
        Subject.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )
    again, created = demo_load(today=datetime.date(2017, 9, 1))
    assert not created and again == campaign
    assert counts == (
        Campaign.objects.count(),
        Subject.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )

    roles = {
        "office": Role.OFFICE,
        "leader": Role.LEADING_GROUP,
        "director": Role.DIRECTORS_MEETING,
        "member": Role.MEMBER,
        "subject": Role.SUBJECT,
        "liaison": Role.LIAISON,
    }
    for _, username in LOGINS:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user_has_role(user, roles[username])
        _login(client, username)
        assert client.get("/my-work/").status_code == 200
        client.logout()


def test_demo_stage_follows_the_calendar():
    campaign, _ = demo_load(today=datetime.date(2017, 10, 8))
    assert campaign.stage == CampaignStage.RECTIFICATION
    assert campaign.transitions.count() == 3


def test_command_prints_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "演示账号" in out and "office" in out and DEMO_PASSWORD in out


def test_demo_subjects_have_three_years_in_post_at_the_meeting():
    campaign, _ = demo_load(today=datetime.date(2017, 9, 1))
    as_of = campaign.reference_date()
    assert as_of == datetime.date(2017, 9, 21)
    assert all(s.tenure_on(as_of)[0] >= 3 for s in campaign.subjects.all())


def test_demo_reports_in_several_states(client):
    from subjects.models import DutyReportStatus
    from subjects.selectors import ReportState, campaign_report_rows
    from workbench.demo import batch_campaign_name

    today = datetime.date(2017, 10, 8)
    county, _ = demo_load(today=today)
    rows = campaign_report_rows(county, today=today)
    assert all(r.state == ReportState.ACCEPTED for r in rows) and len(rows) == 12
    assert county.reports_distributed_at is not None
    assert county.subjects.filter(report_versions__status=DutyReportStatus.RETURNED).count() == 1

    batch = Campaign.objects.get(name=batch_campaign_name(2017))
    assert batch.stage == CampaignStage.PRELIMINARY
    states = {r.subject.person_name: r.state for r in campaign_report_rows(batch, today=today)}
    assert states == {
        "周文华": ReportState.MISSING,
        "孙立业": ReportState.ACCEPTED,
        "钱卫民": ReportState.SUBMITTED,
        "郭振兴": ReportState.RETURNED,
    }
    assert batch.report_draft_due < today < batch.report_final_due
    # The demo member can read the county's distributed reports, not the batch's.
    _login(client, "member")
    assert "定稿" in client.get(f"/campaigns/{county.pk}/reports/").content.decode()
    assert "尚未分发" in client.get(f"/campaigns/{batch.pk}/reports/").content.decode()


def test_demo_assessment_groups_findings_and_surveys():
    from surveys.models import Finding, InvestigationReportStatus, QuestionnaireStatus
    from workbench.demo import batch_campaign_name, demo_questionnaire_codes

    today = datetime.date(2017, 10, 8)
    county, _ = demo_load(today=today)
    assert county.assessment_groups.count() == 4
    assert all(g.subjects.count() == 3 for g in county.assessment_groups.all())
    assert all(g.activities.count() == 2 for g in county.assessment_groups.all())
    assert Finding.objects.filter(subject__campaign=county).count() == 12 * 4
    assert {r.investigation_report.status for r in county.subjects.all()} == {
        InvestigationReportStatus.HEARD
    }
    county_survey = county.questionnaires.get()
    assert (
        county_survey.status == QuestionnaireStatus.CLOSED and county_survey.responses.count() == 10
    )

    batch = Campaign.objects.get(name=batch_campaign_name(2017))
    assert batch.assessment_groups.count() == 4
    assert Finding.objects.filter(subject__campaign=batch).count() == 3 * 4
    first = batch.assessment_groups.get(name="第一评议调查组")
    assert first.leader.username == "director" and first.members.filter(username="member").exists()
    assert not Finding.objects.filter(subject__user__username="subject").exists()
    path, codes = demo_questionnaire_codes(2017)
    assert path.startswith("/q/") and len(codes) == 2
    batch_survey = batch.questionnaires.get()
    # Ten answered: at ten a batch of five was written and five held back, so that no
    # batch, the one written at close included, is smaller than five.
    assert batch_survey.responses.count() == 5 and responses_waiting(batch_survey) == 5


def test_demo_before_the_county_meeting_still_has_four_groups():
    from workbench.demo import batch_campaign_name

    county, _ = demo_load(today=datetime.date(2018, 3, 1))
    assert county.stage == CampaignStage.PREPARATION and not county.assessment_groups.exists()
    batch = Campaign.objects.get(name=batch_campaign_name(2018))
    assert (
        batch.assessment_groups.count() == 4 and batch.questionnaires.get().responses.count() == 5
    )


def test_demo_meeting_ballot_and_practice_ballot(client):
    from ballots.models import BallotPurpose, BallotStatus
    from workbench.demo import batch_campaign_name

    county, _ = demo_load(today=datetime.date(2017, 10, 8))
    ballot = county.ballots.get()
    # 24 members with their accounts and 6 deputies with voting codes voted on the web.
    assert (
        ballot.status == BallotStatus.PUBLISHED
        and ballot.is_valid
        and ballot.web_participants == 30
    )
    assert ballot.results.count() == 12
    deputies = ballot.voter_groups.get(is_committee=False)
    assert deputies.name == "人大代表" and deputies.web_voting
    assert ballot.voting_codes.filter(used=True).count() == 6
    assert ballot.voting_codes.filter(used=False).count() == 2
    # A scored ballot: every result has a score and a rank, and the ranks follow the scores.
    assert ballot.scored and ballot.rule_preset == "score_trimmed"
    results = sorted(ballot.results.all(), key=lambda r: r.rank)
    assert all(r.score is not None for r in results) and results[0].rank == 1
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    _login(client, "office")
    page = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert "<th>得分</th>" in page and "人大代表" in page
    screen = client.get(f"/ballots/{ballot.pk}/screen.json").json()
    assert all(r["score"] is not None and r["rank"] for r in screen["results"])
    client.logout()
    public = client.get(f"/public/campaigns/{county.pk}/").content.decode()
    assert "<th>得分</th>" in public
    meeting = county.meetings.get()
    assert meeting.agenda.count() == 6 and meeting.inquiries.exclude(answer="").count() == 3
    practice = Campaign.objects.get(name=batch_campaign_name(2017)).ballots.get()
    assert practice.purpose == BallotPurpose.PRACTICE and practice.status == BallotStatus.OPEN
    _login(client, "member")
    assert "参加投票" in client.get("/my-work/").content.decode()


def test_demo_rectification_in_several_states():
    from rectification.selectors import rectification_rows

    today = datetime.date(2017, 11, 25)
    county, _ = demo_load(today=today)
    states = {r.subject.user.username: r for r in rectification_rows(county.subjects.all(), today)}
    assert states["s04"].plan_state == "待联系委室审核"
    assert (
        states["s08"].plan_state == "已退回，逾期未重新报送"
        and states["s12"].plan_state == "逾期未报送"
    )
    assert states["s02"].plan_state == "已通过"
    assert county.reporting_steps.filter(done_on__isnull=False).count() == 3


def test_demo_briefing_and_reminders(django_capture_on_commit_callbacks):
    from core.models import DocumentStatus, Reminder

    with django_capture_on_commit_callbacks(execute=True):
        county, _ = demo_load(today=datetime.date(2017, 11, 25))
    briefing = county.briefings.get()
    document = briefing.document
    assert briefing.number == 1 and document.status == DocumentStatus.DONE, document.error
    assert Reminder.objects.exists()
