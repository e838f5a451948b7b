import datetime
import re
import shutil
import subprocess

import pytest

from ballots.models import BallotStatus
from core.documents import document_render
from core.errors import ApplicationError
from core.models import AuditEntry, DocumentStatus
from core.roles import Role
from tests.factories import BallotFactory, BriefingFactory, CampaignFactory, SubjectFactory
from workbench.models import BriefingBlock
from workbench.services.briefings import briefing_render_request, briefing_update

pytestmark = pytest.mark.django_db


def _pdf_text(document) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", document.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def _render(office, briefing):
    """Request and run the render (on_commit never runs in these tests: the worker's part)."""
    document = briefing_render_request(actor=office, briefing=briefing)
    return document_render(document_id=document.pk)


def test_numbers_run_per_campaign_in_order(office):
    campaign, other = CampaignFactory(actor=office), CampaignFactory(actor=office)
    numbers = [BriefingFactory(campaign=campaign, actor=office).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert BriefingFactory(campaign=other, actor=office).number == 1


def test_only_office_writes_briefings(member_user, office):
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        BriefingFactory(actor=member_user, campaign=CampaignFactory(actor=office))


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_rendered_pdf_has_title_issue_and_distribution(office):
    campaign = CampaignFactory(
        actor=office, name="2017年度县人大常委会述职评议", composition_size=2
    )
    SubjectFactory(campaign=campaign, person_name="金立新")
    BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.PUBLISHED, votes=["满意"] * 2
    )
    BriefingFactory(campaign=campaign, actor=office)
    briefing = BriefingFactory(
        campaign=campaign,
        actor=office,
        title="县人大常委会召开述职评议工作动员会",
        distribution="市人大办、县委办、政府办，县法院、检察院，存档。",
        blocks=[BriefingBlock.STAGES, BriefingBlock.RESULTS],
    )
    document = _render(office, briefing)
    assert document.status == DocumentStatus.DONE, document.error
    assert document.name == "2017年度县人大常委会述职评议情况简报第2期.pdf"
    text = _pdf_text(document)
    squeezed = "".join(text.split())
    assert "县人大常委会召开述职评议工作动员会" in squeezed
    assert "第2期" in squeezed and "情况简报" in squeezed
    assert "本期发至：市人大办、县委办、政府办，县法院、检察院，存档。" in squeezed
    assert "金立新" in squeezed and "满意" in squeezed


def test_a_broken_briefing_fails_with_a_message(office):
    briefing = BriefingFactory(actor=office, blocks=[BriefingBlock.RESULTS])
    document = _render(office, briefing)
    assert document.status == DocumentStatus.FAILED
    assert document.error == "本次评议还没有已公布的测评结果，不能插入“测评结果统计表”。"


def test_a_lost_render_job_can_be_requested_again(office):
    import time_machine

    briefing = BriefingFactory(actor=office)
    briefing_render_request(
        actor=office, briefing=briefing
    )  # on_commit never runs here: the job is "lost"
    with pytest.raises(ApplicationError, match="已在生成中"):
        briefing_render_request(actor=office, briefing=briefing)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=11)):
        briefing_render_request(actor=office, briefing=briefing)
    assert briefing.document.status == DocumentStatus.QUEUED
    assert (
        AuditEntry.objects.filter(action="briefing.render", campaign=briefing.campaign).count() == 2
    )


def test_an_edit_discards_the_pdf_and_waits_for_a_running_render(office):
    briefing = BriefingFactory(actor=office)
    briefing_render_request(actor=office, briefing=briefing)  # queued, not yet rendered
    with pytest.raises(ApplicationError, match="正在生成 PDF"):
        briefing_update(actor=office, briefing=briefing, title="改过的标题")
    document = document_render(document_id=briefing.document.pk)
    assert document.status == DocumentStatus.DONE
    briefing_update(actor=office, briefing=briefing, title="改过的标题")
    assert briefing.document is None  # the old PDF no longer matches: gone until rendered again


def test_only_the_office_renders_a_briefing(office, make_user):
    briefing = BriefingFactory(actor=office)
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        briefing_render_request(actor=make_user(Role.LEADING_GROUP), briefing=briefing)
    assert briefing.document is None


def _cells(line: str) -> list[tuple[int, int]]:
    """The spans (first and last column) of a -layout line's cells: runs of text separated
    by two spaces or more."""
    return [(m.start(), m.end() - 1) for m in re.finditer(r"\S+(?: \S+)*", line)]


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_results_table_headers_line_up_with_their_columns(office):
    """One header cell over each column (排名, 评议对象, each option, 满意率, 结果), each
    overlapping its column's cells, read back from the PDF with pdftotext -layout."""
    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        status=BallotStatus.PUBLISHED,
        votes=[["满意", "不满意"], ["基本满意", "不满意"], ["满意", "满意"]],
    )
    briefing = BriefingFactory(campaign=campaign, actor=office, blocks=[BriefingBlock.RESULTS])
    lines = _pdf_text(_render(office, briefing)).splitlines()
    header = next(line for line in lines if line.lstrip().startswith("排名"))
    rows = [line for line in lines if "金立新" in line or "唐晓云" in line]
    headers = _cells(header)
    expected = ["排名", "评议对象", *ballot.sheet_options, "满意率", "结果"]
    assert [header[a : b + 1] for a, b in headers] == expected
    assert len(rows) == 2
    for row in rows:
        cells = _cells(row)
        assert len(cells) == len(headers), row
        for (h0, h1), (c0, c1) in zip(headers, cells, strict=True):
            assert c0 <= h1 + 1 and h0 <= c1 + 1, (header, row)  # the spans overlap
    # 满意 over the 满意 counts: 金立新 2, 唐晓云 1 (not the rate under 满意).
    first = next(row for row in rows if "金立新" in row)
    assert first[slice(headers[2][0], headers[2][1] + 2)].strip() == "2"


def test_a_long_title_wraps_in_balance():
    from core.templatetags.balanced import balanced, balanced_lines

    title = "县人大常委会召开二〇一七年度述职评议工作总结暨整改工作推进大会"
    lines = balanced_lines(title, 25)
    assert "".join(lines) == title and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 1  # never 25 + 6
    with_comma = "关于开展述职评议工作的通知，请各评议对象按时报送述职报告"
    assert balanced_lines(with_comma, 25)[0].endswith("，")  # broken after the comma
    assert balanced_lines("短标题", 25) == ["短标题"]
    html = balanced("<b>标" * 10, 25)  # escaped, line by line
    assert "<b>" not in html and html.count("<br>") == 1 and "&lt;b&gt;" in html


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_the_printed_title_leaves_no_character_alone(office):
    title = "县人大常委会召开二〇一七年度述职评议工作总结暨整改工作推进大会"
    briefing = BriefingFactory(actor=office, title=title)
    text = _pdf_text(_render(office, briefing))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if title.startswith(line) and len(line) > 5)
    first, second = lines[start], lines[start + 1]
    assert first + second == title
    assert min(len(first), len(second)) >= len(title) // 2 - 1


def test_the_editor_preview_renders_as_the_pdf_and_writes_nothing(client, office, make_user):
    url = "/briefings/articles-preview/"
    text = "## 会议概况\n\n**一要**抓好整改\n\n| 项目 | 情况 |\n| --- | --- |\n| 第一项 | 完成 |\n\n<script>x()</script>"
    client.force_login(office)
    before = AuditEntry.objects.count()
    answer = client.post(url, {"articles": text}).json()
    assert answer["problems"] == []
    html = answer["html"]
    assert "<h2>会议概况</h2>" in html and "<strong>一要</strong>" in html
    assert "<table>" in html and "<td>第一项</td>" in html
    assert "<script" not in html
    assert AuditEntry.objects.count() == before
    assert client.get(url).status_code == 405
    client.force_login(make_user(role=Role.LEADING_GROUP))
    assert client.post(url, {"articles": text}).status_code == 403
