"""robots.txt, read and obeyed with the semantics of RFC 9309.

``RobotsTxt.parse`` reads a robots.txt body into groups of rules; ``allowed(url)`` answers for our product
token (``briefing``): the groups naming it (case-insensitively) apply, else the ``*`` groups; among the
rules whose pattern matches the URL's path and query, the longest pattern wins and ``Allow`` wins a tie;
``*`` matches any run of characters and a final ``$`` anchors the end (the wildcards that older Pythons'
``urllib.robotparser`` ignores). ``/robots.txt`` itself is always allowed.

``RobotsCache`` holds one ``RobotsTxt`` per origin (scheme, host, port) for a run, loading each once even
when several threads ask at the same time. How a fetch outcome maps to rules follows RFC 9309 §2.3.1:
a 2xx body is parsed, a 4xx means "no rules" (allow everything), a 5xx means "unreachable" (disallow
everything), and the reason is kept for the error message. A host that does not answer at all is
reported as down (``_client``), not as a robots.txt refusal.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

__all__ = ["PRODUCT_TOKEN", "RobotsCache", "RobotsTxt", "Rule", "Verdict", "robots_url"]

#: The product token briefing matches in ``User-agent`` lines (RFC 9309 §2.2.1).
PRODUCT_TOKEN = "briefing"
#: Lines longer than this are ignored; bodies are read up to ``MAX_BYTES`` (RFC 9309 §2.5 asks for at least 500 KiB).
MAX_LINE = 2000
MAX_BYTES = 512 * 1024
_KEY_ALIASES = {
    "user-agent": "user-agent",
    "useragent": "user-agent",
    "user agent": "user-agent",
    "allow": "allow",
    "disallow": "disallow",
    "dissallow": "disallow",
    "dissalow": "disallow",
    "disalow": "disallow",
    "diasllow": "disallow",
    "crawl-delay": "crawl-delay",
    "crawl delay": "crawl-delay",
    "crawldelay": "crawl-delay",
}
_TOKEN_RE = re.compile(r"[A-Za-z_-]+")


@dataclass(frozen=True)
class Rule:
    """One ``Allow`` or ``Disallow`` line: its pattern, normalised, and the regular expression it means."""

    allow: bool
    pattern: str
    regex: re.Pattern[str]

    @classmethod
    def of(cls, allow: bool, pattern: str) -> Rule:
        normal = _normalise(pattern)
        anchored = normal.endswith("$")
        body = normal[:-1] if anchored else normal
        regex = ".*".join(re.escape(piece) for piece in body.split("*")) + (r"\Z" if anchored else "")
        return cls(allow=allow, pattern=normal, regex=re.compile(regex, re.DOTALL))

    def line(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.pattern}"


def _outranks(rule: Rule, best: Rule) -> bool:
    """RFC 9309: the longest matching pattern wins; between equally long ones, Allow."""
    longer = len(rule.pattern) > len(best.pattern)
    return longer or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)


@dataclass(frozen=True)
class Verdict:
    """What robots.txt says of a URL: whether it may be fetched, and the rule that decided (None: no rule did)."""

    allowed: bool
    rule: Rule | None = None


@dataclass(frozen=True)
class _Group:
    agents: tuple[str, ...]
    rules: tuple[Rule, ...]
    crawl_delay: float | None = None


@dataclass(frozen=True)
class RobotsTxt:
    """The rules of one robots.txt, or a blanket verdict when it could not be read."""

    groups: tuple[_Group, ...] = ()
    #: None: the parsed groups decide; True/False: everything allowed/disallowed, for ``reason``.
    blanket: bool | None = None
    reason: str = ""
    url: str = ""

    @classmethod
    def parse(cls, text: str, url: str = "") -> RobotsTxt:
        groups: list[_Group] = []
        agents: list[str] = []
        rules: list[Rule] = []
        delay: float | None = None
        in_rules = False

        def close() -> None:
            if agents:
                groups.append(_Group(tuple(agents), tuple(rules), delay))

        for raw in text.lstrip("\ufeff").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line or len(line) > MAX_LINE or ":" not in line:
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            kind = _KEY_ALIASES.get(key.lower())
            if kind == "user-agent":
                if in_rules:  # a user-agent line after rules starts a new group
                    close()
                    agents, rules, delay, in_rules = [], [], None, False
                token = "*" if value.startswith("*") else (m.group(0).lower() if (m := _TOKEN_RE.match(value)) else "")
                if token:
                    agents.append(token)
            elif kind in ("allow", "disallow"):
                in_rules = True
                if agents and value:  # rules before any user-agent, and empty patterns, match nothing
                    rules.append(Rule.of(kind == "allow", value))
            elif kind == "crawl-delay":
                in_rules = True
                try:
                    delay = max(0.0, float(value))
                except ValueError:
                    pass
        close()
        return cls(groups=tuple(groups), url=url)

    @classmethod
    def allow_all(cls, reason: str = "", url: str = "") -> RobotsTxt:
        return cls(blanket=True, reason=reason, url=url)

    @classmethod
    def disallow_all(cls, reason: str, url: str = "") -> RobotsTxt:
        return cls(blanket=False, reason=reason, url=url)

    def _groups_for(self, agent: str) -> list[_Group]:
        token = agent.lower()
        mine = [g for g in self.groups if token in g.agents]
        return mine or [g for g in self.groups if "*" in g.agents]

    def decision(self, url: str, agent: str = PRODUCT_TOKEN) -> Verdict:
        """Whether ``url`` may be fetched, and the rule that decided (None: no rule matched)."""
        if self.blanket is not None:
            return Verdict(self.blanket)
        parts = urlsplit(url)
        path = _normalise((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return Verdict(True)
        best: Rule | None = None
        for group in self._groups_for(agent):
            for rule in group.rules:
                if rule.regex.match(path) and (best is None or _outranks(rule, best)):
                    best = rule
        return Verdict(best is None or best.allow, best)

    def allowed(self, url: str, agent: str = PRODUCT_TOKEN) -> bool:
        return self.decision(url, agent).allowed

    def crawl_delay(self, agent: str = PRODUCT_TOKEN) -> float | None:
        """The ``Crawl-delay`` of the groups that apply (not in RFC 9309, but widely used), or None."""
        delays = (
            [g.crawl_delay for g in self._groups_for(agent) if g.crawl_delay is not None]
            if self.blanket is None
            else []
        )
        return max(delays) if delays else None


def robots_url(url: str) -> str:
    """The robots.txt that governs ``url``: ``scheme://host[:port]/robots.txt``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/robots.txt"


def _normalise(path: str) -> str:
    """Percent-encode what must be encoded and decode what need not be, so a path and a pattern compare alike."""
    return quote(unquote(path), safe="/?&=*$;:@!,'()+~%-._")


@dataclass
class RobotsCache:
    """One ``RobotsTxt`` per origin for the length of a run; ``load`` fetches and interprets one.

    ``load(robots_url, allow_private, deadline, rate)`` returns a blanket verdict for the site's own
    failures (see the module docstring); only a host that does not answer at all raises (it is down,
    which is no robots.txt verdict, and nothing is cached). ``rate`` is the pace (requests a
    second) of the request that needed the file, so reading it is paced the same way.
    """

    load: Callable[
        [str, bool | tuple[str, ...], float | None, float | None], RobotsTxt
    ]  # allow_private: see http.AllowPrivate
    _entries: dict[tuple[str, bool | tuple[str, ...]], RobotsTxt] = field(default_factory=dict)
    _loading: dict[tuple[str, bool | tuple[str, ...]], threading.Event] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(
        self,
        url: str,
        *,
        allow_private: bool | tuple[str, ...] = False,
        deadline: float | None = None,
        rate: float | None = None,
    ) -> RobotsTxt:
        key = (robots_url(url), allow_private)
        while True:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
                waiting = self._loading.get(key)
                if waiting is None:
                    event = self._loading[key] = threading.Event()
                    break
            waiting.wait()  # another thread is loading this origin's robots.txt
        try:
            found = self.load(key[0], allow_private, deadline, rate)
            with self._lock:
                self._entries[key] = found
            return found
        finally:
            with self._lock:
                del self._loading[key]
            event.set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
