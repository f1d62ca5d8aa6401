"""The language model endpoint (``BRIEFING_LLM_*``, briefing.enrich): its settings read, and a list of
models asked for (no chat request: it costs no tokens)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..errors import BriefingError
from ._check import Check, fail, ok, skip


def check_llm(env: Mapping[str, str]) -> Check:
    """The language model endpoint of ``BRIEFING_LLM_*`` (briefing.enrich): its settings read, and it
    answers a list of models through the guarded client (no chat request: it costs no tokens)."""
    from ..enrich.endpoint import Endpoint, make_client

    try:
        endpoint = Endpoint.from_env(env)
    except BriefingError as e:
        return fail(
            "language model",
            str(e),
            "fix the BRIEFING_LLM_* settings (docs/english.md), or unset them to build offline",
        )
    if endpoint is None:
        return skip("language model", "BRIEFING_LLM_URL is not set: Chinese stories carry the offline English line")
    import openai

    client = make_client(replace(endpoint, timeout=10.0, connect_timeout=5.0))
    try:
        models = [m.id for m in client.models.list()]
    except openai.NotFoundError:
        return ok("language model", f"{endpoint.url}: answers (it lists no models); model {endpoint.model}")
    except openai.AuthenticationError:
        return fail(
            "language model",
            f"{endpoint.url}: the key is refused",
            "set BRIEFING_LLM_KEY or BRIEFING_LLM_KEY_FILE (in the DAG: the password of the connection briefing_llm)",
        )
    except (openai.OpenAIError, ValueError) as e:
        cause: BaseException = e
        while cause.__cause__ is not None:
            cause = cause.__cause__
        return fail(
            "language model",
            f"{endpoint.url}: no answer: {cause}",
            "start the endpoint, or fix BRIEFING_LLM_URL (a loopback or BRIEFING_LLM_ALLOW_PRIVATE address); without "
            "it the briefing falls back to offline lines",
        )
    finally:
        client.close()
    known = (
        ""
        if not models or endpoint.model in models
        else f"; it does not list {endpoint.model} (it lists {', '.join(models[:5])})"
    )
    return ok("language model", f"{endpoint.url}: answers; model {endpoint.model}{known}")
