from django import template

register = template.Library()


@register.filter
def at(sequence, index: int):
    """The item at a position of a list (a table drawn the other way round on a phone)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
