class ApplicationError(Exception):
    """A domain rule said no. The message is shown to the user, in Chinese."""

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
