"""Errors any app may raise that the request as a whole answers for (apps.core.middleware)."""


class ServiceUnavailable(Exception):
    """Something every answer depends on is not set up: the request stops with a 503 and
    `message`, not a 500. Apps subclass it for their own cases (e.g. no platform facts)."""

    message = "This service is not available just now. Please try again later."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message
