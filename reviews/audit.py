"""Audit actions of the campaign, its stages, content items and members, with their Chinese names (see core.audit).
State moves are registered by their workflows."""

from django.db import models


class AuditAction(models.TextChoices):
    CAMPAIGN_CREATE = "campaign.create", "新建评议活动"
    CAMPAIGN_UPDATE = "campaign.update", "修改评议活动"
    CAMPAIGN_PLAN = "campaign.plan", "登记实施方案"
    STAGE_UPDATE = "stage.update", "修改阶段计划时间"
    CONTENT_ITEM_CREATE = "content_item.create", "新增评议内容"
    CONTENT_ITEM_UPDATE = "content_item.update", "修改评议内容"
    CONTENT_ITEM_DELETE = "content_item.delete", "删除评议内容"
    MEMBER_CREATE = "member.create", "新增常委会组成人员"
    MEMBER_UPDATE = "member.update", "修改常委会组成人员"
    MEMBER_IMPORT = "member.import", "导入常委会组成人员"
