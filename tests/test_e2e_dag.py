"""End to end: the real weekly_briefing DAG, run with dag.test() on SQLite against the demo web.

Checks what a subscriber and an editor would: the PDF has every theme section and readable Chinese, the
HTML edition has the same sections, and a second run of the same week adds no story and gives the same
HTML, byte for byte.

The second whole-DAG run is a deployment's check (``make test-integration``, and CI): ``make test`` has a
second DAG run giving the same HTML byte for byte in tests/test_editorial_dag.py, and the steps' rerun
adding nothing and giving the same briefing in tests/test_pipeline.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.store import Store

from .airflow_home import demo_airflow_env

ROOT = Path(__file__).resolve().parent.parent
THEME_HEADINGS = ("Compute", "Energy", "Policy", "Chips", "AI models", "Science")

_RUN = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.dags["weekly_briefing"]
run = dag.test(run_conf={"week": sys.argv[2], "approval": "automatic"})
print(json.dumps({
    "state": str(run.state),
    "tis": {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances()},
}))
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def airflow_env(
    demo_config: Path, migrated_airflow_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return demo_airflow_env(tmp_path_factory.mktemp("e2e"), migrated_airflow_db, demo_config)


def _run_dag(env: dict[str, str], week: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _RUN, str(ROOT / "dags"), week], env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, (out.stdout[-2000:], out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def first_run(airflow_env: dict[str, str]) -> dict[str, object]:
    return _run_dag(airflow_env, "2026-W47")


def test_dag_run_succeeds_with_one_fetch_per_source(first_run: dict[str, object]) -> None:
    assert first_run["state"] == "success"
    tis = first_run["tis"]
    assert isinstance(tis, dict)
    assert sorted(k for k in tis if k.startswith("fetch_source")) == [f"fetch_source[{i}]" for i in range(6)]
    assert tis.pop("approve[-1]") == "skipped"  # approval: automatic
    assert set(tis.values()) == {"success"}


def test_pdf_has_every_theme_and_readable_chinese(first_run: dict[str, object], airflow_env: dict[str, str]) -> None:
    pdf = Path(airflow_env["BRIEFING_ARCHIVE"]) / "briefing-2026-W47.pdf"
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for heading in THEME_HEADINGS:
        assert heading in text, f"no {heading!r} section in the PDF"
    assert "2026-W47" in text
    chinese = re.findall(r"[\u4e00-\u9fff]", text)
    assert len(chinese) > 500, "the PDF should carry the week's Chinese stories as text"
    assert "中关村科技日报" in text and "华北能源报" in text
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in f for f in fonts), fonts
    assert len(reader.pages) >= 6


def test_html_edition_has_the_same_sections(first_run: dict[str, object], airflow_env: dict[str, str]) -> None:
    archive = Path(airflow_env["BRIEFING_ARCHIVE"])
    html = (archive / "briefing-2026-W47.html").read_text(encoding="utf-8")
    for heading in THEME_HEADINGS:
        assert f">{heading} <span" in html
    assert 'lang="zh"' in html
    assert "<script" not in html
    index = (archive / "index.html").read_text(encoding="utf-8")
    assert 'href="briefing-2026-W47.html"' in index and 'href="briefing-2026-W47.pdf"' in index


@pytest.mark.integration  # a second whole-DAG run: make test-integration and CI run it, make test does not
def test_second_run_adds_nothing_and_gives_the_same_briefing(
    first_run: dict[str, object], airflow_env: dict[str, str]
) -> None:
    archive = Path(airflow_env["BRIEFING_ARCHIVE"])
    html_before = (archive / "briefing-2026-W47.html").read_bytes()
    with Store(airflow_env["BRIEFING_DB_URL"]) as store:
        stories_before = store.count_stories()
    second = _run_dag(airflow_env, "2026-W47")
    assert second["state"] == "success"
    with Store(airflow_env["BRIEFING_DB_URL"]) as store:
        assert store.count_stories() == stories_before
    assert (archive / "briefing-2026-W47.html").read_bytes() == html_before
    assert sorted(p.name for p in archive.iterdir() if p.is_file()) == [
        "briefing-2026-W47.html",
        "briefing-2026-W47.json",
        "briefing-2026-W47.pdf",
        "feed.xml",
        "index.html",
    ]
