"""Audit actions are enums with Chinese labels: each app's AuditAction, every workflow's
moves and every document kind are registered, and an unregistered code is refused."""

import pytest

from ballots.audit import AuditAction as BallotsAudit
from core.audit import audit_action_label, audit_log

pytestmark = pytest.mark.django_db


def test_every_kind_of_action_has_a_chinese_name():
    assert audit_action_label(BallotsAudit.BALLOT_PAPER) == "录入纸质票"
    assert audit_action_label("ballot.open") == "开始投票（测评）"
    assert audit_action_label("duty_report.accepted") == "接受（述职报告）"
    assert audit_action_label("campaign.stage.closed") == "进入已结束（评议活动）"
    assert audit_action_label("briefing.render") == "申请生成 PDF（情况简报）"
    assert audit_action_label("duty_report.upload.final") == "上传述职报告定稿"


def test_an_unregistered_action_is_refused(office):
    with pytest.raises(ValueError, match="unregistered audit action"):
        audit_log(actor=office, action="made.up", summary="x")
