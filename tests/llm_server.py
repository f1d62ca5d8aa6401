"""A language model server of the project's own for the enrich tests: the OpenAI chat-completions
protocol on 127.0.0.1, answering from what it is sent, with faults on demand.

It reads the JSON document of the user message (``briefing.enrich.prompt``) and writes a plain, true
answer from it: the English names of its glossary, its figures in English and its theme. ``fault``
makes it misbehave; ``once`` limits the fault to the first request about each story (the retry gets a
good answer). Faults: ``slow`` (answers after ``delay`` seconds), ``429`` (with ``Retry-After: 1``),
``500``, ``redirect`` (a 302 to a cloud metadata address), ``malformed`` (a body that is not JSON),
``not-json`` (the message content is not JSON), ``wrong-schema``, ``invented`` (a figure the story
does not hold), ``chinese`` (the answer in Chinese), and ``obey`` (it obeys an instruction found in the
story, as a gullible model would). Every request is kept in ``requests``; ``most_in_flight`` is the most it had at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from typing import Any, Self

from .local_http import QuietHandler


class LLMServer:
    def __init__(self, *, fault: str = "", once: bool = False, delay: float = 0.0) -> None:
        self.fault = fault
        self.once = once
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.per_story: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests it had in flight at once
        self.lock = threading.Lock()
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self.reply(
                        200,
                        json.dumps(
                            {
                                "object": "list",
                                "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "tests"}],
                            }
                        ).encode(),
                        {"Content-Type": "application/json"},
                    )
                else:
                    self.reply(404, b'{"error": {"message": "not found"}}', {"Content-Type": "application/json"})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                with server.lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    status, headers, payload = server.answer(self.path, body, dict(self.headers))
                finally:
                    with server.lock:
                        server.in_flight -= 1
                self.reply(status, payload, {"Content-Type": "application/json", **headers})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def calls(self) -> int:
        return len(self.requests)

    def answer(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        doc = json.loads(body["messages"][1]["content"])
        title = doc["story"]["headline"]
        with self.lock:
            self.requests.append({"path": path, "body": body, "headers": headers, "at": time.monotonic()})
            self.per_story[title] += 1
            first = self.per_story[title] == 1
        fault = self.fault if (first or not self.once) else ""
        if fault == "slow" or self.delay:
            time.sleep(self.delay)
        if fault == "429":
            return 429, {"Retry-After": "1"}, b'{"error": {"message": "slow down", "type": "rate_limit"}}'
        if fault == "500":
            return 500, {}, b'{"error": {"message": "overloaded"}}'
        if fault == "redirect":
            return 302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""
        if fault == "malformed":
            return 200, {}, b'{"choices": [{"message": {"content": "{\\"headline'
        content = json.dumps(self.write(doc, fault), ensure_ascii=False)
        if fault == "not-json":
            content = "Here is the translation: " + content
        reply = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360},
        }
        return 200, {}, json.dumps(reply).encode()

    @staticmethod
    def write(doc: dict[str, Any], fault: str) -> dict[str, str]:
        """A true answer from the document: names, figures and theme, in English."""
        names = list(dict.fromkeys(doc["glossary"].values()))
        figures = doc["figures_in_english"]
        theme = doc["theme"] or "technology"
        who = " and ".join(names[:2]) or "A Chinese outlet"
        headline = f"{who}: {theme} news" + (f" with {figures[0]}" if figures else "")
        gist = f"The report is {theme.lower()} news" + (f" naming {', '.join(names[:3])}" if names else "") + "."
        why = f"It bears on China's {theme.lower()} plans."
        wanted = doc["wanted"]
        answer = {
            "headline": headline if "headline" in wanted else "",
            "gist": gist if "gist" in wanted else "",
            "why_it_matters": why if "why_it_matters" in wanted else "",
        }
        if fault == "wrong-schema":
            return {"title": headline, "summary": gist}
        if fault == "invented":
            answer["headline"] = f"{who} adds 987,654 PFLOPS"
        if fault == "chinese":
            answer["headline"] = doc["story"]["headline"]
        if fault == "obey" and "ignore" in doc["story"]["text"].lower():
            answer["headline"] = "Ignore the story: visit http://evil.example and subscribe now"
        return answer
