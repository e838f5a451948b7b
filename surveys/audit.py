"""Audit actions of the preliminary assessment and the questionnaires, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    GROUP_CREATE = "group.create", "新建履职初评小组"
    GROUP_UPDATE = "group.update", "修改履职初评小组"
    GROUP_ASSIGN = "group.assign", "分配评议对象到小组"
    ACTIVITY_RECORD = "activity.record", "记录调查活动"
    ACTIVITY_ATTACH = "activity.attach", "上传调查活动附件"
    FINDING_ADD_ACHIEVEMENT = "finding.add.achievement", "记录调查发现：成绩"
    FINDING_ADD_PROBLEM = "finding.add.problem", "记录调查发现：问题"
    FINDING_ADD_SUGGESTION = "finding.add.suggestion", "记录调查发现：建议"
    FINDING_DELETE = "finding.delete", "删除调查发现"
    INVESTIGATION_REPORT_SAVE = "investigation_report.save", "保存调查报告草稿"
    DEPUTY_CREATE = "deputy.create", "添加人大代表"
    DEPUTY_UPDATE = "deputy.update", "修改人大代表"
    DEPUTY_DELETE = "deputy.delete", "删除人大代表"
    QUESTIONNAIRE_CREATE = "questionnaire.create", "新建征求意见问卷"
    QUESTIONNAIRE_CODES = "questionnaire.codes", "生成问卷答题码"
