"""Ask the language model for the English of a week's events: cached, budgeted, verified.

``enrich`` takes the events to write (``Target``), and for each one:

1. looks its answer up in the store, under its key (``prompt.answer_key``: the story's content hash,
   the model, the prompt version, what is asked): a rerun of a built week makes no call;
2. otherwise asks the endpoint, at most ``Endpoint.concurrency`` requests at once, within the run's
   budget of requests and tokens (a request holds a generous estimate of its tokens while in flight, so
   requests at once never overshoot it together); a 429 waits for its Retry-After (up to ``max_retry_after``), a 5xx,
   a timeout or a broken connection is retried with backoff, up to ``attempts`` requests; after
   ``breaker`` failed requests in a row the circuit opens and every event left falls back at once;
3. verifies the answer (``verify``); a rejected answer is asked again once, saying why, and a second
   rejection falls back (and is stored as such, so a rerun does not ask again).

An event the model could not write keeps the offline line (``offline``): the week always publishes.
Progress is logged as it goes: done, cached, rejected, fallback.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from ..fetch import retry_after
from ..records import English, LlmAnswer, Story
from ..store import Store
from ..text import content_hash
from .endpoint import Endpoint, make_client
from .offline import Gloss, NameBook
from .prompt import PROMPT_VERSION, TEXT_CHARS, answer_key, messages, response_format
from .verify import Rejected, verify_answer

__all__ = ["MAX_ANSWER_TOKENS", "EnrichResult", "Outcome", "Target", "enrich", "estimate_tokens"]

log = logging.getLogger(__name__)

Fallback = Literal["", "rejected", "failed"]

#: what an answer is checked against: the headline and the text the model was given
SOURCE_CHARS = TEXT_CHARS


@dataclass(frozen=True)
class Target:
    """One event to write English for: its representative story and what is asked."""

    story: Story
    outlet: str
    theme: str | None
    want_english: bool
    want_why: bool
    glossary: tuple[Gloss, ...] = ()  # the names in the story, with their English names
    figures: tuple[str, ...] = ()  # the story's figures, in English


@dataclass(frozen=True)
class Outcome:
    story_id: str
    english: English | None  # the model's verified English; None when it fell back
    fallback: Fallback = ""
    cached: bool = False
    reason: str = ""


@dataclass(frozen=True)
class EnrichResult:
    outcomes: tuple[Outcome, ...]
    calls: int  # requests sent to the endpoint
    tokens: int
    cached: int
    rejected: int
    failed: int


class _Unavailable(Exception):
    """The endpoint could not answer for this event (errors, budget, open circuit)."""


@dataclass
class _Run:
    """What a run shares between its threads: the budget, the circuit breaker, the progress counts."""

    endpoint: Endpoint
    total: int
    calls: int = 0
    tokens: int = 0
    reserved: int = 0  # tokens held by requests in flight (``take_call``)
    failures_in_a_row: int = 0
    open: bool = False
    counts: dict[str, int] = field(default_factory=lambda: {"done": 0, "cached": 0, "rejected": 0, "fallback": 0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_call(self, estimate: int) -> None:
        """Count a request, and hold ``estimate`` tokens for it until it is answered: requests in flight
        at once cannot take the run over its token budget together."""
        with self.lock:
            if self.open:
                raise _Unavailable("the circuit is open after repeated failures")
            if self.calls >= self.endpoint.max_calls:
                raise _Unavailable(f"the run's budget of {self.endpoint.max_calls} requests is spent")
            if self.tokens + self.reserved + estimate > self.endpoint.max_tokens:
                raise _Unavailable(
                    f"the run's budget of {self.endpoint.max_tokens} tokens is spent (or held by requests in flight)"
                )
            self.calls += 1
            self.reserved += estimate

    def release(self, estimate: int) -> None:
        with self.lock:
            self.reserved -= estimate

    def failed(self) -> None:
        with self.lock:
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= self.endpoint.breaker and not self.open:
                self.open = True
                log.warning(
                    "language model: %d failed requests in a row, the circuit opens: the rest of the run falls back",
                    self.failures_in_a_row,
                )

    def answered(self, tokens: int) -> None:
        with self.lock:
            self.failures_in_a_row = 0
            self.tokens += tokens

    def progress(self, outcome: Outcome) -> None:
        with self.lock:
            self.counts["done"] += 1
            if outcome.cached:
                self.counts["cached"] += 1
            if outcome.fallback == "rejected":
                self.counts["rejected"] += 1
            if outcome.fallback:
                self.counts["fallback"] += 1
            c = self.counts
            log.info(
                "language model: %d of %d done (cached %d, rejected %d, fallback %d)",
                c["done"],
                self.total,
                c["cached"],
                c["rejected"],
                c["fallback"],
            )


def enrich(
    targets: Sequence[Target],
    *,
    endpoint: Endpoint,
    store: Store,
    book: NameBook,
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> EnrichResult:
    """The English of each of ``targets``: from the store's answers, else from the endpoint (see the module)."""
    keys = {
        t.story.id: answer_key(
            content_hash(t.story.title, t.story.body), endpoint.model, want_english=t.want_english, want_why=t.want_why
        )
        for t in targets
    }
    stored = store.llm_answers(list(keys.values()))
    run = _Run(endpoint=endpoint, total=len(targets))
    api = (
        client
        if client is not None
        else (make_client(endpoint) if any(keys[t.story.id] not in stored for t in targets) else None)
    )

    def one(target: Target) -> Outcome:
        key = keys[target.story.id]
        if key in stored:
            outcome = _from_store(target, stored[key], endpoint.model, book)
        else:
            outcome = _ask(
                target, key, run=run, api=api, endpoint=endpoint, store=store, book=book, sleep=sleep, now=now
            )
        run.progress(outcome)
        return outcome

    if len(targets) > len(stored):
        with ThreadPoolExecutor(max_workers=endpoint.concurrency, thread_name_prefix="briefing-llm") as pool:
            outcomes = tuple(pool.map(one, targets))
    else:
        outcomes = tuple(one(t) for t in targets)
    if api is not None and client is None:
        api.close()
    return EnrichResult(
        outcomes=outcomes, calls=run.calls, tokens=run.tokens, cached=sum(o.cached for o in outcomes),
        rejected=sum(o.fallback == "rejected" for o in outcomes), failed=sum(o.fallback == "failed" for o in outcomes),
    )


def _english(fields: dict[str, str], model: str) -> English:
    return English(
        headline=fields.get("headline", ""),
        gist=fields.get("gist", ""),
        why=fields.get("why", ""),
        by="model",
        author=model,
    )


def _from_store(target: Target, row: LlmAnswer, model: str, book: NameBook) -> Outcome:
    """A stored answer, verified again (the rules may have grown stricter since it was stored)."""
    stored = json.loads(row.answer)
    if row.status == "ok":
        story = target.story
        try:
            fields = verify_answer(
                {
                    "headline": stored.get("headline", ""),
                    "gist": stored.get("gist", ""),
                    "why_it_matters": stored.get("why", ""),
                },
                source=f"{story.title}\n{story.body[:SOURCE_CHARS]}",
                book=book,
                want_english=target.want_english,
                want_why=target.want_why,
            )
        except Rejected as e:
            return Outcome(
                story.id, None, fallback="rejected", cached=True, reason=f"a stored answer fails verification now: {e}"
            )
        return Outcome(story.id, _english(fields, model), cached=True)
    return Outcome(target.story.id, None, fallback="rejected", cached=True, reason=stored.get("reason", ""))


def _ask(
    target: Target, key: str, *, run: _Run, api: Any, endpoint: Endpoint, store: Store, book: NameBook,
    sleep: Callable[[float], None], now: Callable[[], datetime],
) -> Outcome:
    story = target.story
    source = f"{story.title}\n{story.body[:SOURCE_CHARS]}"
    reason: str | None = None
    for _ in range(2):  # the answer, and one more after a rejection
        try:
            content = _request(target, run=run, api=api, endpoint=endpoint, rejected=reason, sleep=sleep)
        except _Unavailable as e:
            log.info("language model: %s (%s) falls back: %s", story.id, story.title[:40], e)
            return Outcome(story.id, None, fallback="failed", reason=str(e))
        try:
            answer = json.loads(content)
            if not isinstance(answer, dict) or not all(
                isinstance(answer.get(k), str) for k in ("headline", "gist", "why_it_matters")
            ):
                raise Rejected("the answer does not follow the schema (headline, gist, why_it_matters: strings)")
            fields = verify_answer(
                answer, source=source, book=book, want_english=target.want_english, want_why=target.want_why
            )
        except json.JSONDecodeError:
            reason = "the answer is not JSON"
        except Rejected as e:
            reason = str(e)
        else:
            store.save_llm_answer(
                key,
                model=endpoint.model,
                prompt_version=PROMPT_VERSION,
                status="ok",
                answer=json.dumps(fields, ensure_ascii=False, sort_keys=True),
                when=now(),
            )
            return Outcome(story.id, _english(fields, endpoint.model))
        log.info("language model: the answer for %s (%s) is rejected: %s", story.id, story.title[:40], reason)
    store.save_llm_answer(
        key,
        model=endpoint.model,
        prompt_version=PROMPT_VERSION,
        status="rejected",
        answer=json.dumps({"reason": reason}, ensure_ascii=False),
        when=now(),
    )
    return Outcome(story.id, None, fallback="rejected", reason=reason or "")


def _chat(target: Target, rejected: str | None) -> list[dict[str, str]]:
    """The chat messages that ask for ``target``; ``rejected``: why the previous answer was refused."""
    story = target.story
    return messages(
        title=story.title, text=story.body, source=target.outlet, theme=target.theme, glossary=target.glossary,
        figures=target.figures, want_english=target.want_english, want_why=target.want_why, rejected=rejected,
    )


def _request(
    target: Target, *, run: _Run, api: Any, endpoint: Endpoint, rejected: str | None, sleep: Callable[[float], None]
) -> str:
    """The content of the model's answer; _Unavailable when the endpoint cannot give one."""
    import openai

    chat = _chat(target, rejected)
    last = "no request made"
    estimate = estimate_tokens(chat)
    for attempt in range(1, endpoint.attempts + 1):
        run.take_call(estimate)
        backoff = 0.5 * 2 ** (attempt - 1) * (1 + random.random() / 2)
        try:
            try:
                response = api.chat.completions.create(
                    model=endpoint.model,
                    messages=chat,
                    response_format=response_format(),
                    temperature=0,
                    max_tokens=MAX_ANSWER_TOKENS,
                )
            finally:
                run.release(estimate)
        except openai.RateLimitError as e:  # busy, not broken: wait as asked, the breaker does not count it
            asked = retry_after(e.response.headers.get("retry-after"))
            if asked is not None and asked > endpoint.max_retry_after:
                raise _Unavailable(
                    f"the endpoint asks to wait {asked:.0f} s, longer than briefing waits "
                    f"({endpoint.max_retry_after:.0f} s)"
                ) from e
            last = "HTTP 429"
            if attempt < endpoint.attempts:
                sleep(asked if asked is not None else backoff)
            continue
        except openai.APIStatusError as e:
            run.failed()
            last = f"HTTP {e.status_code}"
            if e.status_code < 500 and e.status_code != 408:
                raise _Unavailable(f"the endpoint answered {last}") from e
        except (openai.APITimeoutError, openai.APIConnectionError) as e:
            run.failed()
            last = _cause(e)
        except (openai.OpenAIError, ValueError) as e:  # a body that is not the protocol's JSON
            run.failed()
            last = f"the answer is not the protocol's JSON ({_cause(e)})"
        else:
            usage = getattr(response, "usage", None)
            run.answered(int(getattr(usage, "total_tokens", 0) or 0) or estimate)  # no usage: the estimate counts
            choices = getattr(response, "choices", None) or []
            content = choices[0].message.content if choices and choices[0].message else None
            return content or ""
        if attempt < endpoint.attempts:
            sleep(backoff)
    raise _Unavailable(f"no answer after {endpoint.attempts} requests (last: {last})")


#: the longest answer asked for, in tokens (a headline, two sentences and one more fit in a fraction of it)
MAX_ANSWER_TOKENS = 400


def estimate_tokens(chat: Sequence[Mapping[str, str]]) -> int:
    """A generous guess of a request's tokens before it is sent: a token for every two characters of the
    messages (a Chinese character is about one) and the longest answer."""
    return sum(len(m["content"]) for m in chat) // 2 + MAX_ANSWER_TOKENS


def _cause(e: BaseException) -> str:
    """What went wrong at the bottom of an exception's chain: "refused: ... resolves to ...", "timed out"."""
    inner = e
    while inner.__cause__ is not None or inner.__context__ is not None:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    text = str(inner) or type(inner).__name__
    return f"{type(e).__name__}: {text[:160]}"
