"""End to end, issue 18: the real weekly_briefing DAG emails through ``smtp_default`` to the project's
SMTP server, every message signed with the key of the connection ``briefing_dkim`` and carrying the
subscriber's one-click unsubscribe; a subscriber who unsubscribes is not sent the rerun's email, and
nobody gets a second copy (the delivery ledger)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from briefing.publish.mail.unsubscribe import unsubscribe
from briefing.store import Store

from .airflow_home import airflow_env as fresh_airflow_env
from .airflow_home import demo_airflow_env
from .smtp_server import Inbox, smtp_server

ROOT = Path(__file__).resolve().parent.parent
SECRET = "d8Hq2Lx5Vn9Rc3Tz7Kp1Wm4Bs6Fg0Jy"

pytestmark = pytest.mark.slow

_RUN = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
run = bag.dags["weekly_briefing"].test(
    run_conf={"week": sys.argv[2], "approval": "automatic", "resend": json.loads(sys.argv[3])}
)
print(json.dumps({
    "state": str(run.state),
    "tis": {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances()},
}))
"""


@pytest.fixture
def mail(demo_config: Path, migrated_airflow_db: Path, tmp_path: Path) -> Iterator[tuple[dict[str, str], Inbox, bytes]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode("ascii")
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "subscribers.txt").write_text("ana@example.org\nbo@example.org,Bo Li,chips\n", encoding="utf-8")
    with smtp_server() as (inbox, url):
        host, port = url.removeprefix("smtp://").split(":")
        env = demo_airflow_env(tmp_path, migrated_airflow_db, demo_config)
        env.update(
            BRIEFING_SUBSCRIBERS=str(tmp_path / "subscribers.txt"),
            BRIEFING_FROM="China Tech Briefing <briefing@example.org>",
            BRIEFING_UNSUBSCRIBE_URL="https://briefing.example.org/briefing/unsubscribe",
            BRIEFING_UNSUBSCRIBE_SECRET=SECRET,
            AIRFLOW_CONN_SMTP_DEFAULT=json.dumps(
                {
                    "conn_type": "smtp",
                    "host": host,
                    "port": int(port),
                    "extra": {"disable_ssl": True, "disable_tls": True},
                }
            ),
            AIRFLOW_CONN_BRIEFING_DKIM=json.dumps({"conn_type": "generic", "login": "wk2026", "password": pem}),
        )
        yield env, inbox, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def _run_dag(env: dict[str, str], week: str, resend: list[str] | None = None) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _RUN, str(ROOT / "dags"), week, json.dumps(resend or [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, (out.stdout[-2000:], out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.integration  # three whole-DAG runs (100 s): make test-integration and CI run it, make test does not
def test_the_dag_sends_signed_mail_with_one_click_unsubscribe_and_honours_it(
    mail: tuple[dict[str, str], Inbox, bytes],
) -> None:
    env, inbox, record = mail
    run = _run_dag(env, "2026-W47")
    assert run["state"] == "success" and run["tis"]["email[-1]"] == "success", run  # type: ignore[index]
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1}
    for raw, message in zip(inbox.raw, inbox.messages):
        assert dkim.verify(
            raw, dnsfunc=lambda name, timeout=5: record if name == b"wk2026._domainkey.example.org." else b""
        ), message["To"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and str(message["Message-ID"]).endswith(
            "@example.org>"
        )
    ana = next(m for m in inbox.messages if "ana@" in str(m["To"]))
    link = next(part.strip(" <>") for part in str(ana["List-Unsubscribe"]).split(",") if "https://" in part)
    with Store(env["BRIEFING_DB_URL"]) as store:
        assert unsubscribe(store, parse_qs(urlsplit(link).query)["t"][0], SECRET).outcome == "unsubscribed"

    rerun = _run_dag(env, "2026-W47")
    assert rerun["tis"]["email[-1]"] == "success" and inbox.per_recipient() == {
        "ana@example.org": 1,
        "bo@example.org": 1,
    }, "a rerun sends no second copy"
    env["BRIEFING_SUBSCRIBERS"] = ""  # the list in the store alone, and the week resent on purpose to all who are on it
    again = _run_dag(env, "2026-W47", resend=["all"])
    assert again["tis"]["email[-1]"] == "success", again  # type: ignore[index]
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 2}, (
        "the unsubscribed address is not sent to"
    )


# a deployment's process (airflow api-server, half a minute to start): make test-integration and CI run it, make
# test does not; make test has the same app's one-click POST, link and forged tokens in-process
# (tests/test_subscribers.py) and the plugin's registration at /briefing (tests/test_plugins.py)
@pytest.mark.integration
def test_airflows_api_server_answers_the_one_click_post_and_the_link(migrated_airflow_db: Path, tmp_path: Path) -> None:
    """The plugin's /briefing/unsubscribe inside a real ``airflow api-server``: no Airflow login asked of
    a subscriber, the link's GET changes nothing, the one-click POST unsubscribes, a forged token is refused."""
    import os
    import signal
    import socket
    import time

    import requests

    from briefing.publish.mail import Subscriber
    from briefing.publish.mail.subscribers import import_subscribers
    from briefing.publish.mail.unsubscribe import make_token

    db = f"sqlite:///{tmp_path}/briefing.sqlite"
    with Store(db) as store:
        import_subscribers(store, [Subscriber("ana@example.org"), Subscriber("bo@example.org")])
        token = make_token(store.subscriber("ana@example.org"), SECRET)  # type: ignore[arg-type]
    shutil.copyfile(migrated_airflow_db, tmp_path / "airflow.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = fresh_airflow_env(tmp_path / "airflow", tmp_path / "airflow.db")
    env.update(
        BRIEFING_DB_URL=db,
        BRIEFING_ARCHIVE=str(tmp_path / "archive"),
        BRIEFING_UNSUBSCRIBE_SECRET=SECRET,
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__API_AUTH__JWT_SECRET="briefing-e2e-mail",
    )
    base = f"http://127.0.0.1:{port}/briefing/unsubscribe"
    with open(tmp_path / "api-server.log", "wb") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "airflow"), "api-server", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/briefing/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "api-server.log").read_text(
                errors="replace"
            )[-3000:]
            time.sleep(1)
        confirm = requests.get(base, params={"t": token}, timeout=30)
        assert confirm.status_code == 200 and "Unsubscribe from the briefing?" in confirm.text
        forged = requests.post(
            base,
            params={"t": token[:-1] + ("A" if token[-1] != "A" else "B")},
            data={"List-Unsubscribe": "One-Click"},
            timeout=30,
        )
        assert forged.status_code == 403
        with Store(db) as store:
            assert {e.email: e.status for e in store.subscribers()} == {
                "ana@example.org": "active",
                "bo@example.org": "active",
            }
        done = requests.post(base, params={"t": token}, data={"List-Unsubscribe": "One-Click"}, timeout=30)
        assert done.status_code == 200 and "You are unsubscribed" in done.text
        with Store(db) as store:
            assert {e.email: e.status for e in store.subscribers()} == {
                "ana@example.org": "unsubscribed",
                "bo@example.org": "active",
            }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
