"""Installing briefing the way operators do: the wheel into a clean venv, and the Docker image's pip step.

1. The built wheel, installed with the Python's own pip into a new venv and *without* constraints.txt
   (pip picks the newest releases in pyproject's ranges), fetches the demo web from 127.0.0.1,
   including the article pages behind teaser-only feeds, renders a week and passes ``briefing doctor``.
2. Docker does not run here, so the Dockerfile's pip step runs in a clean venv with the same arguments
   (``/opt/briefing`` is a copy of what the image COPYs; ``--no-cache-dir``, which keeps the image
   small, gives way to ``--no-compile``, which saves the tests time: neither changes what is
   resolved), then the image's smoke test imports every module it names there.

Both reach the package index, as ``pip install`` does (marker ``registry``), and take a minute each
(``slow``). They build in a temporary directory and leave nothing behind.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.registry, pytest.mark.integration]


def _clean_env() -> dict[str, str]:
    """This environment without anything that would pin or point pip at the project's resolution."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_CONSTRAINT", "PIP_REQUIREMENT", "VIRTUAL_ENV", "PYTHONPATH"))
    }


def _run(
    args: list[str], *, cwd: Path, timeout: float = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(args, cwd=cwd, env=env or _clean_env(), capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-4000:]}"
    return out


def _venv(path: Path) -> Path:
    """A new venv of this Python, with the pip that Python ships (ensurepip), nothing else."""
    _run([sys.executable, "-m", "venv", str(path)], cwd=path.parent)
    return path / "bin"


def test_the_wheel_without_constraints_fetches_article_pages_renders_and_passes_the_doctor(
    tmp_path: Path, demo_config: Path
) -> None:
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(ROOT)],
        cwd=tmp_path,
    )
    [wheel] = (tmp_path / "dist").glob("briefing-*.whl")
    bin_ = _venv(tmp_path / "venv")
    _run(
        [str(bin_ / "pip"), "install", "--no-compile", str(wheel)], cwd=tmp_path
    )  # no -c constraints.txt; --no-compile: faster, resolves the same
    store = tmp_path / "store.sqlite"
    settings = ["--config", str(demo_config), "--db", f"sqlite:///{store}"]
    fetched = _run([str(bin_ / "briefing"), "fetch", *settings], cwd=tmp_path).stdout
    results = {r["source"]: r for r in map(json.loads, fetched.splitlines())}
    assert {s: r["status"] for s, r in results.items()} == dict.fromkeys(results, "ok") and len(results) == 6, fetched
    with sqlite3.connect(store) as conn:
        grid = " ".join(t for (t,) in conn.execute("select text from stories where source = 'grid-and-power-weekly'"))
        huabei = " ".join(t for (t,) in conn.execute("select text from stories where source = 'huabei-energy-news'"))
    assert "power plateaus of 30%, 75% and 100%" in grid  # from the article page: the feed has the teaser only
    assert len(huabei) > 2000

    ran = _run(
        [str(bin_ / "briefing"), "run", "--week", "2026-W47", *settings, "--archive", str(tmp_path / "archive")],
        cwd=tmp_path,
    ).stdout
    assert (tmp_path / "archive" / "briefing-2026-W47.pdf").read_bytes().startswith(b"%PDF")
    assert "中关村科技日报" in (tmp_path / "archive" / "briefing-2026-W47.html").read_text(encoding="utf-8"), ran

    doctor = subprocess.run(
        [str(bin_ / "briefing"), "doctor", *settings, "--archive", str(tmp_path / "archive")],
        cwd=tmp_path, env=_clean_env() | {"PATH": f"{bin_}:/usr/bin:/bin"}, capture_output=True, text=True, timeout=300,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr[-2000:]
    assert "skip  airflow" in doctor.stdout  # no Airflow in this venv: its checks do not apply


def _dockerfile_steps() -> tuple[list[tuple[str, str]], list[str], str]:
    """The Dockerfile's COPY sources and destinations, its pip command and its smoke test's Python code."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    copies = []
    for sources, dest in re.findall(r"^COPY --chown=\S+ (.+) (/opt/briefing/\S*)$", text, re.M):
        copies += [(s, dest) for s in sources.split()]
    [run] = [line for line in text.splitlines() if line.startswith("RUN pip install")]
    pip, smoke = (shlex.split(part) for part in run.removeprefix("RUN ").split("&&"))
    assert smoke[:2] == ["python", "-c"], smoke
    return copies, pip, smoke[2]


def test_the_images_pip_step_resolves_and_every_module_of_its_smoke_test_imports(tmp_path: Path) -> None:
    copies, pip, smoke = _dockerfile_steps()
    opt = tmp_path / "opt" / "briefing"
    for source, dest in copies:  # COPY's rules: a directory's contents to the path, files into a directory ending in /
        target = tmp_path / dest.lstrip("/")
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / source, target / Path(source).name)
    assert (
        (opt / "briefing" / "pipeline.py").exists()
        and (opt / "templates").is_dir()
        and (opt / "constraints.txt").exists()
    )

    pinned = next(
        d
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "optional-dependencies"
        ]["airflow"]
        if d.startswith("apache-airflow==")
    )
    args = [
        a.replace("${AIRFLOW_VERSION}", pinned.split("==")[1]).replace("/opt/briefing", str(opt))
        for a in pip[2:]
        if a != "--no-cache-dir"
    ]
    assert pip[:2] == ["pip", "install"] and "--constraint" in args
    bin_ = _venv(tmp_path / "venv")
    _run([str(bin_ / "pip"), "install", "--no-compile", *args], cwd=tmp_path)

    modules = re.findall(r"[\w.]+", smoke.removeprefix("import "))
    assert {"briefing.pipeline", "trafilatura", "weasyprint", "psycopg2"} <= set(modules)
    _run([str(bin_ / "python"), "-c", smoke], cwd=tmp_path)  # the smoke test itself, as the image runs it
    found = _run(
        [
            str(bin_ / "python"),
            "-c",
            f"import importlib.util; print([m for m in {modules!r} if importlib.util.find_spec(m) is None])",
        ],
        cwd=tmp_path,
    )
    assert found.stdout.strip() == "[]"
