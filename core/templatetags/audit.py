from django import template

from core.audit import audit_action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """{{ entry.action|action_label }}: the Chinese name of an audit action code."""
    return audit_action_label(action)
