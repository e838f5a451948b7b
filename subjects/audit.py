"""Audit actions of subjects, units, liaison committees and duty reports, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    SUBJECT_CREATE = "subject.create", "新增评议对象"
    SUBJECT_UPDATE = "subject.update", "修改评议对象"
    SUBJECT_DELETE = "subject.delete", "删除评议对象"
    SUBJECT_ACCOUNT = "subject.account", "建立评议对象账号"
    SUBJECT_IMPORT = "subject.import", "导入评议对象"
    UNIT_CREATE = "unit.create", "新增单位"
    UNIT_UPDATE = "unit.update", "修改单位"
    UNIT_DELETE = "unit.delete", "删除单位"
    LIAISON_CREATE = "liaison.create", "新增联系委室"
    LIAISON_UPDATE = "liaison.update", "修改联系委室"
    LIAISON_DELETE = "liaison.delete", "删除联系委室"
    LIAISON_USERS = "liaison.users", "设置联系委室人员"
    CAMPAIGN_REPORT_DEADLINES = "campaign.report_deadlines", "设定述职报告期限"
    DUTY_REPORT_DISTRIBUTE = "duty_report.distribute", "分发述职报告"
    DUTY_REPORT_UPLOAD_DRAFT = "duty_report.upload.draft", "上传述职报告初稿"
    DUTY_REPORT_UPLOAD_FINAL = "duty_report.upload.final", "上传述职报告定稿"
    DUTY_REPORT_REMIND = "duty_report.remind", "催报述职报告"
