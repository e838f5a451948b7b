"""How pages are shown to the login (大字模式): kept in the user's row (core.models.
UserPreference) and mirrored in the session at login and when it changes, so that drawing a
page costs no query."""

LARGE_TEXT = "large_text"


def display(request) -> dict:
    """Template context: ``large_text`` for base.html's <html> class and the navbar switch."""
    session = getattr(request, "session", None)
    return {"large_text": bool(session.get(LARGE_TEXT, False)) if session is not None else False}
