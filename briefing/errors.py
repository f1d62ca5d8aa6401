"""The exceptions of briefing.

Every failure the library reports on purpose is a ``BriefingError``; its message names the input that
failed (a source id and URL, a file and line, a recipient, a week). Third-party exceptions are caught
where they enter and re-raised as the most specific subclass, ``from`` the original::

    BriefingError
    ├── ConfigError      a source config, theme file, setting or CLI argument is wrong
    ├── FetchError       a source could not be fetched (network, HTTP status, size cap, SSRF guard)
    ├── ParseError       a fetched body could not be read as a feed or page
    ├── StoreError       the story store could not be opened or written
    ├── RenderError      the briefing could not be rendered (template, font, PDF)
    └── PublishError     the archive could not be written, or an email could not be sent
        └── MailServerError  the mail server cannot be reached or refuses the login: no email can go
"""

from __future__ import annotations

__all__ = [
    "BriefingError",
    "ConfigError",
    "FetchError",
    "MailServerError",
    "ParseError",
    "PublishError",
    "RenderError",
    "StoreError",
]


class BriefingError(Exception):
    """The base of every error briefing raises on purpose."""


class ConfigError(BriefingError):
    """A source config, theme file, setting or argument is invalid."""


class FetchError(BriefingError):
    """A URL could not be fetched."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        #: a timeout, a broken connection, 408, 429 or 5xx: trying again may work
        self.retryable = retryable


class ParseError(BriefingError):
    """A fetched body could not be parsed."""


class StoreError(BriefingError):
    """The story store failed."""


class RenderError(BriefingError):
    """The briefing could not be rendered."""


class PublishError(BriefingError):
    """The archive or an email could not be written or sent."""


class MailServerError(PublishError):
    """The mail server could not be reached, or refused the login: no message can go out through it."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        #: trying again will not help (the login was refused)
        self.permanent = permanent
