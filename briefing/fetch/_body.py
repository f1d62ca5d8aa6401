"""A response body: read as it arrives within the time budget, decompressed chunk by chunk, capped.

The body is decompressed here with a bounded output, so a gzip bomb or an endless body stops at the cap
of *decoded* data with memory flat; each read waits at most the time left in the budget.
"""

from __future__ import annotations

import http.client
import time
import zlib
from typing import Any

import requests
import urllib3

from ..errors import FetchError
from ._failures import out_of_time, reason

__all__ = ["Inflater", "read_body"]

_CHUNK = 65536


def read_body(
    r: requests.Response, url: str, *, cap: int, truncate: bool, deadline: float | None, read_timeout: float
) -> bytes:
    """The body, decoded and capped. Each read returns what has arrived (``read1``) and waits at most
    the time left in the budget (and at most ``read_timeout``), so a trickling server is cut off when the
    budget ends."""
    inflater = Inflater(r.headers.get("content-encoding", ""), url)
    out = bytearray()
    wire = 0
    raw = r.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    try:
        while True:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise FetchError(
                        f"{url}: the time budget ran out while reading the body ({len(out)} bytes so far)", url=url
                    )
                if sock is not None:
                    sock.settimeout(min(read_timeout, left))
            chunk = (raw.read1 if hasattr(raw, "read1") else raw.read)(_CHUNK, decode_content=False)
            if not chunk:
                break
            wire += len(chunk)
            out += inflater.feed(chunk, cap - len(out) + 1)
            if len(out) > cap or wire > cap:
                if truncate:
                    return bytes(out[:cap])
                raise FetchError(f"{url}: body larger than {cap} bytes (decoded); stopped", url=url)
    except FetchError:
        raise
    except zlib.error as e:
        raise FetchError(f"{url}: the body is not valid {inflater.coding} data: {e}", url=url) from e
    except (urllib3.exceptions.HTTPError, requests.RequestException, http.client.HTTPException, OSError) as e:
        late = out_of_time(url, deadline, f"while reading the body ({len(out)} bytes so far)")
        raise late or FetchError(
            f"{url}: connection broke while reading the body: {reason(e)}", url=url, retryable=True
        ) from e
    return bytes(out)


class Inflater:
    """Decompresses a body chunk by chunk, never producing more than asked for at once."""

    def __init__(self, encoding: str, url: str) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}", url=url)
        self.coding = codings[0] if codings else "identity"
        self._d = self._new()
        self._started = False

    def _new(self) -> Any:
        if self.coding == "identity":
            return None
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.coding in ("gzip", "x-gzip") else zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._d is None:
            return data[:limit] if len(data) > limit else data
        out = bytearray()
        while data and len(out) < limit:
            try:
                piece = self._d.decompress(data, limit - len(out))
            except zlib.error:
                if self.coding != "deflate" or self._started:
                    raise
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent as a raw stream, as some servers do
                piece = self._d.decompress(data, limit - len(out))
            self._started = True
            out += piece
            if self._d.eof:
                data = self._d.unused_data
                if not data or self.coding == "deflate":
                    break
                self._d = self._new()  # the next member of a multi-member gzip body
            else:
                data = self._d.unconsumed_tail
        return bytes(out)
