"""The command line, as SPEC's contracts say: one output line per input line, same order; clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cli import EXAMPLES, main
from briefing.demo import DemoServer

from .demo_gold import demo_gold


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for g in demo_gold()[:40]:
        s = g.story
        out.append(
            {
                "id": s.id,
                "source": s.source,
                "url": s.url,
                "title": s.title,
                "text": s.text,
                "lang": s.lang,
                "published": s.published.isoformat() if s.published else None,
            }
        )
    return out


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command, example in EXAMPLES.items():
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        assert example in capsys.readouterr().out


def test_classify_writes_one_line_per_input_line_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _records() + [
        {"title": "宁夏枢纽智算规模突破5万PFLOPS"},
        {"id": "only-title", "title": "Local football team wins the cup"},
    ]
    assert main(["classify", "--input", str(_jsonl(tmp_path / "in.jsonl", records))]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(records)
    for record, line in zip(records, lines):
        assert {k: line[k] for k in record} == record  # input fields kept
        assert line["primary"] == (line["themes"][0]["id"] if line["themes"] else None)
    assert lines[-2]["primary"] == "compute"
    assert lines[-1]["themes"] == [] and lines[-1]["primary"] is None


def test_classify_explain_names_the_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "title": "SMIC starts HBM volume production"}])
    assert main(["classify", "--explain", "--input", str(path)]) == 0
    line = json.loads(capsys.readouterr().out)
    assert any(t["term"] == "HBM" for t in line["explain"]["chips"]["terms"])


def test_dedup_writes_one_line_per_input_line_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _records()
    assert main(["dedup", "--input", str(_jsonl(tmp_path / "in.jsonl", records))]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in records]
    ids = {r["id"] for r in records}
    assert all(line["cluster"] in ids for line in lines)
    reps = {line["cluster"] for line in lines}
    assert all(
        next(line for line in lines if line["id"] == rep)["cluster"] == rep for rep in reps
    )  # a representative is its own


def test_dedup_reads_stdin() -> None:
    text = "".join(
        json.dumps({"id": i, "title": t}) + "\n"
        for i, t in [("a", "Ningxia hub passes 50,000 PFLOPS"), ("b", "Ningxia hub passes 50,000 PFLOPS")]
    )
    out = subprocess.run(
        [sys.executable, "-m", "briefing.cli", "dedup"], input=text, capture_output=True, text=True, check=True
    )
    assert [json.loads(line) for line in out.stdout.splitlines()] == [
        {"id": "a", "cluster": "a"},
        {"id": "b", "cluster": "a"},
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param('{"id": "a", "title": "x"}\nnot json\n', r"in\.jsonl:2: not valid JSON", id="bad-json"),
        pytest.param('{"id": "a"}\n', r"in\.jsonl:1: a record needs at least a 'title'", id="no-title"),
        pytest.param(
            '{"id": "a", "title": "x", "published": "yesterday"}\n',
            r"in\.jsonl:1: field 'published' is not ISO 8601",
            id="bad-date",
        ),
        pytest.param(
            '{"id": "a", "title": "x", "lang": "fr"}\n',
            r"in\.jsonl:1: field 'lang' must be 'en' or 'zh'",
            id="bad-lang",
        ),
        pytest.param(
            '{"id": "a", "title": "x"}\n{"id": "a", "title": "y"}\n',
            r"in\.jsonl:2: id 'a' appears on an earlier line",
            id="duplicate-id",
        ),
        pytest.param("[1, 2]\n", r"in\.jsonl:1: expected a JSON object", id="not-object"),
    ],
)
@pytest.mark.parametrize("command", ["classify", "dedup"])
def test_bad_input_is_a_one_line_error_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: str, message: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main([command, "--input", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing half-written
    assert captured.err.count("\n") == 1
    assert f"briefing {command}: error:" in captured.err
    import re

    assert re.search(message, captured.err), captured.err


def test_fetch_prints_one_json_object_per_source_and_is_idempotent(
    demo_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    assert main(["fetch", "--config", str(demo_config), "--db", db]) == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["source"] for r in first] == [
        "harbour-tech-wire",
        "east-compute-review",
        "grid-and-power-weekly",
        "silicon-strait-journal",
        "zhongguancun-daily",
        "huabei-energy-news",
    ]
    assert all(
        set(r) == {"source", "status", "stories", "new", "error"}
        and r["status"] == "ok"
        and r["new"] == r["stories"] > 0
        for r in first
    )
    assert main(["fetch", "--config", str(demo_config), "--db", db]) == 0
    second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(r["new"] == 0 for r in second)


def test_fetch_exits_zero_when_a_source_fails(
    demo_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = demo_config.read_text(encoding="utf-8").replace("/harbour-tech-wire/feed.xml", "/no-such-outlet/feed.xml")
    config = tmp_path / "demo.yaml"
    config.write_text(text, encoding="utf-8")
    assert main(["fetch", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'b.sqlite'}"]) == 0
    results = {r["source"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert results["harbour-tech-wire"]["status"] == "error" and "HTTP 404" in results["harbour-tech-wire"]["error"]
    assert all(r["status"] == "ok" for sid, r in results.items() if sid != "harbour-tech-wire")


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_run_builds_the_week_and_prints_the_paths(
    demo_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    assert (
        main(
            [
                "run",
                "--week",
                "2026-W46",
                "--config",
                str(demo_config),
                "--db",
                f"sqlite:///{tmp_path / 'b.sqlite'}",
                "--archive",
                str(archive),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"PDF:  {archive / 'briefing-2026-W46.pdf'}" in out
    assert (archive / "briefing-2026-W46.html").exists() and (archive / "index.html").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["run", "--week", "2026-47", "--config", "config/demo.yaml"],
            "week '2026-47' is not an ISO week",
            id="bad-week",
        ),
        pytest.param(
            ["run", "--week", "2026-W47", "--config", "no/such.yaml"],
            "no/such.yaml: cannot read the source config",
            id="missing-config",
        ),
        pytest.param(
            ["fetch", "--config", "config/demo.yaml", "--db", "nosuchdb://x"], "cannot open the store", id="bad-db"
        ),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 1
    assert message in capsys.readouterr().err


def test_demo_server_refuses_a_taken_port(capsys: pytest.CaptureFixture[str]) -> None:
    with DemoServer(0) as server:
        assert main(["demo-server", "--port", str(server.port)]) == 1
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
