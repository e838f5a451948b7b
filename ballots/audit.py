"""Audit actions of meetings, inquiries and ballots, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    MEETING_CREATE = "meeting.create", "登记评议会议"
    MEETING_UPDATE = "meeting.update", "修改评议会议"
    MEETING_DELETE = "meeting.delete", "删除评议会议"
    AGENDA_CREATE = "agenda.create", "新增述职顺序"
    AGENDA_UPDATE = "agenda.update", "修改述职顺序"
    AGENDA_DELETE = "agenda.delete", "删除述职顺序"
    INQUIRY_SUBMIT = "inquiry.submit", "提出询问"
    INQUIRY_ANSWER = "inquiry.answer", "记录询问答复"
    BALLOT_CREATE = "ballot.create", "新建满意度测评"
    BALLOT_PAPER = "ballot.paper", "录入纸质票"
    BALLOT_REMIND = "ballot.remind", "提醒未投票人员"
    BALLOT_ROUND = "ballot.round", "重新组织投票"
    BALLOT_DISCARD = "ballot.discard", "作废试投票"
    BALLOT_PREVIEW = "ballot.publish_preview", "预览公布文本"
    BALLOT_TELLERS = "ballot.tellers", "指定监票人"
    TELLER_PUBLISH = "ballot.teller_publish", "监票人生成密钥"
    TELLER_SHARES = "ballot.teller_shares", "监票人发送份额"
    TELLER_DECRYPT = "ballot.teller_decrypt", "监票人解密"
    BALLOT_CODES = "ballot.codes", "生成投票码"
