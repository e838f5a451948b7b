"""Audit actions of review opinions and rectification, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    OPINION_DRAFT = "opinion.draft", "起草评议意见"
    OPINION_PROBLEM = "opinion.problem", "评议意见增加问题"
    RECTIFICATION_DEADLINES = "rectification.deadlines", "确定整改期限"
    RECTIFICATION_EXTEND = "rectification.extend", "整改期限延期"
    RECTIFICATION_PLAN_SAVE = "rectification_plan.save", "保存整改方案"
    RECTIFICATION_REPORT_SAVE = "rectification_report.save", "保存整改情况报告"
    RECTIFICATION_ASSESS = "rectification.assess", "组织整改情况满意度测评"
    RECTIFICATION_CONTINUED = "rectification.continued", "责成继续整改"
    RECTIFICATION_CHECK = "rectification.check", "履职初评小组提出整改检查意见"
    RECTIFICATION_MEETING_DECISION = "rectification.meeting_decision", "登记主任会议整改决定"
    REPORTING_STEPS = "reporting.steps", "确定评议结果报送期限"
    REPORTING_DONE = "reporting.done", "登记评议结果报送完成"
    REPORTING_STEP_ADD = "reporting.step_add", "增加评议结果报送事项"
    REPORTING_STEP_UPDATE = "reporting.step_update", "修改评议结果报送事项"
    REPORTING_STEP_DELETE = "reporting.step_delete", "删除评议结果报送事项"
    ESCALATION_EXPLANATION_DUE = "escalation.explanation_due", "责成说明情况"
    ESCALATION_EXPLANATION = "escalation.explanation", "登记说明情况"
    ESCALATION_INQUIRY = "escalation.inquiry", "登记询问"
    ESCALATION_INTERPELLATION = "escalation.interpellation", "登记质询"
    ESCALATION_DECISION = "escalation.decision", "登记作出决定"
