"""The language model endpoint: its settings, and the one client that talks to it.

Settings (the environment; in the DAG the Airflow connection ``briefing_llm`` overrides them):
``BRIEFING_LLM_URL`` (the base URL of an OpenAI-compatible chat-completions endpoint, e.g.
``http://127.0.0.1:8080/v1``), ``BRIEFING_LLM_MODEL``, ``BRIEFING_LLM_KEY`` or a file named by
``BRIEFING_LLM_KEY_FILE``; the budget ``BRIEFING_LLM_MAX_CALLS`` (default 200 requests a run),
``BRIEFING_LLM_MAX_TOKENS`` (default 200,000 a run), ``BRIEFING_LLM_CONCURRENCY`` (default 12 requests
at once), ``BRIEFING_LLM_TIMEOUT`` (default 60 s a request); ``BRIEFING_LLM_ALLOW_PRIVATE``: ``true``
(the default: loopback, for a local llama.cpp, vLLM or Ollama) or networks such as ``10.0.0.0/8``.
Without a URL and a model there is no endpoint and the briefing is built offline.

The client is the ``openai`` package (the protocol's reference client: request and response types,
errors by status), given an ``httpx2`` client of our own that keeps the project's egress rules
(``briefing.fetch.Client``): connect and read timeouts; no proxies or .netrc from the environment; no
redirects at all (a 3xx is an error, so no redirect can lead to a private address); and every
connection checked on the very addresses it connects to (the SSRF guard of ``briefing.fetch``:
link-local and cloud-metadata addresses never, private ones only where allowed).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpcore2
import httpx2

from ..errors import ConfigError
from ..fetch import USER_AGENT, AllowPrivate, allowed_networks, first_refused

__all__ = ["Endpoint", "GuardedTransport", "connection_settings", "make_client"]


#: the settings of the endpoint (the DAG lets a Variable of each name in lower case override it)
ENV_NAMES = (
    "BRIEFING_LLM_URL", "BRIEFING_LLM_MODEL", "BRIEFING_LLM_KEY", "BRIEFING_LLM_KEY_FILE", "BRIEFING_LLM_MAX_CALLS",
    "BRIEFING_LLM_MAX_TOKENS", "BRIEFING_LLM_CONCURRENCY", "BRIEFING_LLM_TIMEOUT", "BRIEFING_LLM_ALLOW_PRIVATE",
)


@dataclass(frozen=True)
class Endpoint:
    """Where the language model is, and how much of it a run may use."""

    url: str
    model: str
    key: str = field(default="", repr=False)
    max_calls: int = 200
    max_tokens: int = 200_000
    concurrency: int = 12
    timeout: float = 60.0
    connect_timeout: float = 10.0
    allow_private: AllowPrivate = True
    #: requests per event: the first and the retries after a 429, a 5xx, a timeout or a broken connection
    attempts: int = 3
    #: the longest Retry-After honoured; a server asking for more is given up on for that event
    max_retry_after: float = 60.0
    #: failed requests in a row after which the rest of the run falls back at once
    breaker: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Endpoint | None:
        """The endpoint the settings describe, or None when there is none (no URL or no model)."""
        url = (env.get("BRIEFING_LLM_URL") or "").strip()
        model = (env.get("BRIEFING_LLM_MODEL") or "").strip()
        if not url and not model:
            return None
        if not url or not model:
            raise ConfigError(
                "a language model needs both BRIEFING_LLM_URL and BRIEFING_LLM_MODEL (set both, or neither to build "
                "offline)"
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"BRIEFING_LLM_URL={url[:120]!r}: not an http(s) URL")
        key_file = env.get("BRIEFING_LLM_KEY_FILE")
        key = _read_key(key_file) if key_file else env.get("BRIEFING_LLM_KEY") or ""
        return cls(
            url=url.rstrip("/"),
            model=model,
            key=key,
            max_calls=_whole(env, "BRIEFING_LLM_MAX_CALLS", cls.max_calls),
            max_tokens=_whole(env, "BRIEFING_LLM_MAX_TOKENS", cls.max_tokens),
            concurrency=max(1, _whole(env, "BRIEFING_LLM_CONCURRENCY", cls.concurrency)),
            timeout=float(_whole(env, "BRIEFING_LLM_TIMEOUT", int(cls.timeout))),
            allow_private=_allow(env.get("BRIEFING_LLM_ALLOW_PRIVATE")),
        )


#: the settings of a connection's extra, by their name there
_EXTRA = {
    "model": "BRIEFING_LLM_MODEL",
    "max_calls": "BRIEFING_LLM_MAX_CALLS",
    "max_tokens": "BRIEFING_LLM_MAX_TOKENS",
    "concurrency": "BRIEFING_LLM_CONCURRENCY",
    "timeout": "BRIEFING_LLM_TIMEOUT",
    "allow_private": "BRIEFING_LLM_ALLOW_PRIVATE",
}


def connection_settings(
    *, host: str | None, port: int | None, schema: str | None, password: str | None, extra: Mapping[str, Any]
) -> dict[str, str]:
    """The ``BRIEFING_LLM_*`` settings an Airflow connection (``briefing_llm``) gives, to lay over the
    environment's: the host is the base URL (``http://10.1.0.5:8080/v1``) or a host name, with the port
    and the schema as the path (default ``v1``); the password is the key; the extra holds ``model`` and
    optionally ``max_calls``, ``max_tokens``, ``concurrency``, ``timeout``, ``allow_private``."""
    out: dict[str, str] = {}
    if host:
        if "://" in host:
            out["BRIEFING_LLM_URL"] = host
        else:
            scheme = str(extra.get("scheme") or "http")
            out["BRIEFING_LLM_URL"] = f"{scheme}://{host}{f':{port}' if port else ''}/{(schema or 'v1').strip('/')}"
    if password:
        out["BRIEFING_LLM_KEY"] = password
        out["BRIEFING_LLM_KEY_FILE"] = ""
    for name, setting in _EXTRA.items():
        if extra.get(name) not in (None, ""):
            out[setting] = str(extra[name]).lower() if isinstance(extra[name], bool) else str(extra[name])
    return out


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name}={raw[:40]!r}: not a whole number of 0 or more")
    return int(raw)


def _allow(raw: str | None) -> AllowPrivate:
    value = (raw or "true").strip().lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0"):
        return False
    nets = tuple(v.strip() for v in value.split(",") if v.strip())
    try:
        allowed_networks(nets)
    except ValueError as e:
        raise ConfigError(f"BRIEFING_LLM_ALLOW_PRIVATE: {e}") from None
    return nets


def _read_key(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            f"{path}: cannot read the language model's key file: {getattr(e, 'strerror', None) or type(e).__name__}"
        ) from None
    key = text.split("\n", 1)[0].strip()
    if not key:
        raise ConfigError(f"{path}: the language model's key file is empty")
    return key


def _resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


class _GuardedBackend(httpcore2.NetworkBackend):
    """Connects only to addresses the SSRF guard allows, checked on the addresses the socket connects to."""

    def __init__(self, allow: AllowPrivate, resolve: Callable[[str], list[str]]) -> None:
        self._inner = httpcore2.SyncBackend()
        self._allow = allow
        self._resolve = resolve

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        try:
            addresses = self._resolve(host.strip("[]"))
        except OSError as e:
            raise httpcore2.ConnectError(f"cannot resolve {host}: {e}") from e
        bad = first_refused(addresses, self._allow)
        if bad is not None:
            raise httpcore2.ConnectError(f"refused: {host} resolves to {bad}")
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore2.ConnectError as e:
                error = e
        raise error or httpcore2.ConnectError(f"no address for {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        raise httpcore2.ConnectError("briefing connects to a language model over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx2.HTTPTransport):
    """httpx2's transport over the guarded backend, refusing every redirect."""

    def __init__(
        self, *, allow: AllowPrivate, max_connections: int, resolve: Callable[[str], list[str]] = _resolve
    ) -> None:
        super().__init__(
            trust_env=False,
            limits=httpx2.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        )
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=_GuardedBackend(allow, resolve),
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        if 300 <= response.status_code < 400:
            response.close()
            raise httpx2.ConnectError(
                f"the language model endpoint redirects (HTTP {response.status_code}); briefing follows no redirect",
                request=request,
            )
        return response


def make_client(endpoint: Endpoint, *, resolve: Callable[[str], list[str]] = _resolve) -> Any:
    """An ``openai.OpenAI`` client for ``endpoint``, over the guarded transport, with no retries of its own."""
    import openai

    http = httpx2.Client(
        transport=GuardedTransport(allow=endpoint.allow_private, max_connections=endpoint.concurrency, resolve=resolve),
        timeout=httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT},
    )
    return openai.OpenAI(
        base_url=endpoint.url, api_key=endpoint.key or "none", http_client=http, max_retries=0, timeout=endpoint.timeout
    )
