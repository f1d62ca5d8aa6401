"""How a fetch fails: which failures are retried, how long a server asks to wait, and the failure's wording.

Timeouts, broken connections, 408, 429 and 5xx are retryable (``RETRY_STATUSES``); other 4xx never are.
An error status is a ``StatusError``, carrying the server's ``Retry-After`` in seconds when it gave one.
"""

from __future__ import annotations

import email.utils
import re
import time
from datetime import UTC, datetime

from ..errors import FetchError

__all__ = ["RETRY_STATUSES", "StatusError", "out_of_time", "reason", "retry_after", "strip_url"]

RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


class StatusError(FetchError):
    """An HTTP error status, with the server's Retry-After (seconds) when it gave one."""

    def __init__(self, message: str, *, url: str, status: int, retry_after: float | None) -> None:
        super().__init__(message, url=url, status=status, retryable=status in RETRY_STATUSES)
        self.retry_after = retry_after


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def strip_url(message: str, url: str) -> str:
    """A failure's message without the ``url: `` it begins with."""
    return message[len(url) + 2 :] if message.startswith(url + ": ") else message


def reason(e: BaseException) -> str:
    """The root cause of a requests/urllib3 error, without the pool and connection reprs they wrap it in."""
    inner: BaseException = e
    for _ in range(6):
        cause = getattr(inner, "reason", None)
        arg = next((a for a in inner.args if isinstance(a, BaseException)), None)
        deeper = cause if isinstance(cause, BaseException) else arg
        if deeper is None:
            break
        inner = deeper
    text = re.sub(r"^\w+\((?:host=)?[^)]*\):\s*", "", str(inner)) or type(inner).__name__
    return text if len(text) < 200 else text[:200] + "…"



def out_of_time(url: str, deadline: float | None, what: str) -> FetchError | None:
    """The failure to report when the time budget (a ``time.monotonic()`` deadline) has run out, else None."""
    if deadline is not None and time.monotonic() >= deadline:
        return FetchError(f"{url}: the time budget ran out {what}", url=url)
    return None
