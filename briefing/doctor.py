"""Is this deployment ready to build a briefing? ``briefing doctor`` checks every set-up step.

``diagnose`` runs one check per step of "Set up" (docs/operations.md) and returns a ``Check`` for each: its
status (``ok``, ``fail``, or ``skip`` where the step does not apply, such as email without
subscribers), what it found, and, for a failure, the fix. A deployment is ready when no check failed
(``ready``). Nothing is changed and no email is sent: the store is read, not created or migrated; the
archive gets a probe file that is removed at once; the SMTP server is greeted and left.

The steps: Python and the installed packages (each of briefing's requirements at a version in its
range, and article pages readable, which needs ``lxml_html_clean``); a font that covers Chinese, one for
CJK Extension B, and Pango (a small PDF with Chinese is rendered); the settings (source config valid,
timezone known, store reachable with its schema version, archive writable, subscribers file valid);
the SMTP server reachable; what a mail provider wants of a bulk sender (``check_delivery``: a sender on
a real domain, one-click unsubscribe, DKIM, a link to the web edition), a ``warn`` naming each missing
piece. Inside Airflow, also: the metadata database migrated, the plugin registered,
the DAG file in the DAGs folder, the fetch pool (only when ``BRIEFING_FETCH_POOL`` names one), the
connection ``smtp_default``, and the Variables that override the settings.

briefing knows nothing of Airflow's code: inside a deployment (the ``airflow`` command next to this
Python, or on ``PATH``) the doctor asks the ``airflow`` command line, as an operator would, through
``AirflowCommand``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BriefingError, ConfigError
from .settings import ENV_NAMES, Settings

__all__ = [
    "FETCH_CONCURRENCY",
    "FETCH_POOL_ENV",
    "AirflowCommand",
    "Check",
    "SmtpTarget",
    "check_delivery",
    "diagnose",
    "probe_smtp",
    "ready",
    "report",
]

Status = Literal["ok", "fail", "skip", "warn"]  # warn: works, but something a good deployment has is missing

#: the environment variable that names an Airflow pool for the DAG's fetch tasks (default: none, the default pool)
FETCH_POOL_ENV = "BRIEFING_FETCH_POOL"
#: how many fetch tasks run at once without a pool (``BRIEFING_FETCH_CONCURRENCY``)
FETCH_CONCURRENCY = 4
PLUGIN = "briefing"
DAG_FILE = "weekly_briefing.py"
SMTP_CONN = "smtp_default"
DKIM_CONN = "briefing_dkim"  # the DKIM key in Airflow (plugins/briefing_mail.py)
POOL_FIX = 'airflow pools set {pool} 4 "concurrent source fetches of the weekly briefing"'
SMTP_CONN_FIX = (
    "airflow connections add smtp_default --conn-type smtp --conn-host HOST --conn-port PORT "
    "[--conn-login USER --conn-password PASSWORD] --conn-extra '{\"from_email\": \"briefing@example.org\"}'"
)
_ARTICLE = (
    "<html><head><title>A grid line enters service</title></head><body><article><h1>A grid line enters service</h1>"
    + "<p>The ultra-high-voltage line carries hydropower from the west to the coast, the operator said on Monday.</p>" * 4
    + "</article></body></html>"
)


@dataclass(frozen=True)
class Check:
    """One set-up step: whether it holds, what was found, and how to fix it when it does not."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def fail(name: str, detail: str, fix: str) -> Check:
    return Check(name, "fail", detail, fix)


def skip(name: str, detail: str) -> Check:
    return Check(name, "skip", detail)


def ready(checks: Sequence[Check]) -> bool:
    """True when no check failed: everything the deployment needs is there."""
    return not any(c.failed for c in checks)


def report(checks: Sequence[Check]) -> str:
    """The checks as the command prints them, each failure with its fix, and a summary line."""
    width = max((len(c.name) for c in checks), default=0)
    lines = []
    for c in checks:
        lines.append(f"{c.status.upper() if c.failed else c.status:<4}  {c.name:<{width}}  {c.detail}")
        if c.fix:
            lines.append(f"{'':<4}  {'':<{width}}  fix: {c.fix}")
    failed = sum(c.failed for c in checks)
    skipped = sum(c.status == "skip" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    verdict = "ready" if not failed else "not ready"
    warnings = f", {warned} with something missing" if warned else ""
    lines.append(f"{len(checks)} checks: {len(checks) - failed - skipped - warned} ok, {skipped} skipped, {failed} failed{warnings}: {verdict}")
    return "\n".join(lines)


@dataclass(frozen=True)
class SmtpTarget:
    """An SMTP server to greet: from an ``smtp://[user:pass@]host:port`` URL or Airflow's ``smtp_default``."""

    host: str
    port: int
    tls: bool = False  # TLS from the first byte (smtps, port 465)
    starttls: bool | None = None  # True: always, False: never, None: when the server offers it
    user: str = ""
    password: str = field(default="", repr=False)
    origin: str = "--smtp"

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(f"SMTP URL {url.split('@')[-1]!r} must look like smtp://[user:pass@]host:port")
        try:
            port = parts.port
        except ValueError as e:
            raise ConfigError(f"SMTP URL {url.split('@')[-1]!r}: {e}") from e
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=port or (465 if tls else 25),
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )

    @classmethod
    def from_airflow_uri(cls, uri: str) -> SmtpTarget:
        """The connection as ``airflow connections get -o json`` gives its URI, read as the SMTP hook does:
        TLS unless the extra says ``disable_ssl``, then STARTTLS unless it says ``disable_tls``."""
        parts = urlsplit(uri)
        extra: dict[str, object] = {}
        raw = parse_qs(parts.query).get("__extra__")
        if raw:
            loaded = json.loads(raw[0])
            extra = loaded if isinstance(loaded, dict) else {}
        else:
            extra = {k: v[0] for k, v in parse_qs(parts.query).items()}
        tls = not _true(extra.get("disable_ssl", False))
        if not parts.hostname:
            raise ConfigError(f"the connection {SMTP_CONN} has no host")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 587),
            tls=tls,
            starttls=None if tls else not _true(extra.get("disable_tls", False)),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            origin=f"the connection {SMTP_CONN}",
        )

    def __str__(self) -> str:
        return f"{'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}"


def _true(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def probe_smtp(target: SmtpTarget, timeout: float = 10.0) -> str:
    """Greet the server, STARTTLS and log in as configured, then leave: no mail is sent.

    Returns what was done; ConfigError says what failed."""
    done = []
    try:
        if target.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
            done.append("TLS")
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        try:
            client.ehlo()
            if target.starttls or (target.starttls is None and client.has_extn("starttls")):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
                done.append("STARTTLS")
            if target.user:
                client.login(target.user, target.password)
                done.append(f"logged in as {target.user}")
            code, _ = client.noop()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"NOOP refused")
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
    except (OSError, smtplib.SMTPException) as e:
        raise ConfigError(f"{target}: {type(e).__name__}: {e}") from e
    return ", ".join(["answers", *done])


@dataclass(frozen=True)
class AirflowCommand:
    """Airflow's command line, run as an operator runs it (in this environment, so the same AIRFLOW_HOME)."""

    executable: str
    env: Mapping[str, str] | None = None
    timeout: float = 180.0

    @classmethod
    def find(cls, env: Mapping[str, str] | None = None) -> AirflowCommand | None:
        """The ``airflow`` next to this Python (the same install), else on PATH; None outside Airflow."""
        beside = Path(sys.executable).with_name("airflow")
        if beside.is_file() and os.access(beside, os.X_OK):
            return cls(str(beside), env)
        found = shutil.which("airflow")
        return cls(found, env) if found else None

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.executable, *args], env=None if self.env is None else dict(self.env), capture_output=True, text=True, timeout=self.timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            return subprocess.CompletedProcess([self.executable, *args], 1, "", f"{type(e).__name__}: {e}")

    def json(self, *args: str) -> object:
        """The JSON that ``airflow ... -o json`` prints (log lines before it are skipped)."""
        out = self.run(*args)
        if out.returncode != 0:
            raise ConfigError(_last_line(out.stderr) or _last_line(out.stdout) or f"exit status {out.returncode}")
        text = out.stdout
        start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
        if start < 0:
            raise ConfigError(f"no JSON in the output of airflow {' '.join(args)}")
        value, _ = json.JSONDecoder().raw_decode(text[start:])
        return value


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# --- the checks -------------------------------------------------------------------------------


def check_python() -> Check:
    """This Python is one briefing supports (its Requires-Python)."""
    from packaging.specifiers import SpecifierSet

    version = ".".join(map(str, sys.version_info[:3]))
    try:
        needed = metadata.metadata("briefing")["Requires-Python"] or ""
    except (metadata.PackageNotFoundError, KeyError):
        needed = ""
    if needed and not SpecifierSet(needed).contains(version):
        return fail("python", f"Python {version}: briefing needs {needed}", f"install a Python {needed} and reinstall briefing with it")
    return ok("python", f"Python {version} at {sys.executable}" + (f" (briefing needs {needed})" if needed else ""))


def check_packages(extras: Sequence[str] = ()) -> Check:
    """Every requirement of the installed briefing (and of ``extras``) present at a version in its range."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        dist = metadata.distribution("briefing")
    except metadata.PackageNotFoundError:
        return fail("packages", "briefing is imported from source but not installed", "pip install . (or the wheel) into this Python")
    problems: list[str] = []
    wanted_reqs: list[str] = []
    count = 0
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
            continue
        count += 1
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{req.name} is missing")
        else:
            if not req.specifier or req.specifier.contains(installed, prereleases=True):
                continue
            problems.append(f"{req.name} {installed} is installed, {req.specifier} is needed")
        wanted_reqs.append(f"'{req.name}{req.specifier}'")
    if problems:
        return fail("packages", f"briefing {dist.version}: " + "; ".join(problems), "pip install " + " ".join(wanted_reqs))
    return ok("packages", f"briefing {dist.version}: its {count} requirements are installed in range")


def check_articles() -> Check:
    """Article pages can be read: trafilatura with lxml's HTML cleaner (the package lxml_html_clean)."""
    from .fetch import extract_article

    try:
        article = extract_article(_ARTICLE, "http://doctor.invalid/article")
    except ImportError as e:
        return fail("articles", f"article pages cannot be read: {e}", "pip install lxml_html_clean (lxml 5.2 and later no longer carry lxml.html.clean)")
    except BriefingError as e:
        return fail("articles", f"article pages cannot be read: {e}", "reinstall briefing's dependencies: pip install --force-reinstall trafilatura lxml lxml_html_clean")
    if "hydropower" not in article.text:
        return fail("articles", "trafilatura found no text in a sample article page", "reinstall trafilatura and lxml_html_clean")
    return ok("articles", f"article pages are read (trafilatura {metadata.version('trafilatura')}, lxml {metadata.version('lxml')})")


def check_fonts() -> Check:
    from .render import check_fonts as chinese_font
    from .render import missing_glyphs

    try:
        family = chinese_font()
    except BriefingError as e:
        return fail("fonts", str(e), "Debian/Ubuntu: apt-get install fontconfig fonts-noto-cjk fonts-hanazono; Fedora: dnf install google-noto-sans-cjk-fonts hanamin-fonts")
    if missing_glyphs("\U00020bb7"):  # 𠮷, CJK Extension B, found in names
        return fail("fonts", f"Chinese: {family}; but no font covers CJK Extension B (rare characters of names)", "Debian/Ubuntu: apt-get install fonts-hanazono; Fedora: dnf install hanamin-fonts")
    return ok("fonts", f"Chinese: {family}; CJK Extension B covered")


def check_pango() -> Check:
    """WeasyPrint loads Pango and renders a small PDF with Chinese in it, subsetting fonts with HarfBuzz."""
    from .render import render_pdf

    pango_fix = "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; Fedora: dnf install pango harfbuzz; macOS: brew install pango harfbuzz"
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        return fail("pango", f"WeasyPrint cannot load Pango: {_first(e)}", pango_fix)
    slow = _Heard("instead of HarfBuzz-Subset")
    logger = logging.getLogger("weasyprint")
    logger.addHandler(slow)
    try:
        pdf = render_pdf('<html lang="zh"><body><p>Doctor 医生 检查</p></body></html>', week="doctor", isolated=False)
    except BriefingError as e:
        return fail("pango", f"a test PDF does not render: {e}", "install Pango 1.44 or newer and a CJK font, then run briefing doctor again")
    finally:
        logger.removeHandler(slow)
    versions = f"Pango {_pango_version()}, WeasyPrint {weasyprint.__version__}"
    if slow.heard:
        return fail(
            "pango",
            f"{versions}: no HarfBuzz subsetter (4.1 or newer), so fonts are subset by fontTools: a week's PDF takes some 30 s instead of 2",
            "Debian/Ubuntu: apt-get install libharfbuzz-subset0; Fedora: dnf install harfbuzz; macOS: brew install harfbuzz",
        )
    return ok("pango", f"{versions}: a PDF with Chinese renders, fonts subset by HarfBuzz ({len(pdf) // 1024} KB)")


class _Heard(logging.Handler):
    """Notes whether a log record saying ``words`` went by."""

    def __init__(self, words: str) -> None:
        super().__init__(logging.WARNING)
        self.words, self.heard = words, False

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.heard = True


def _pango_version() -> str:
    try:
        from weasyprint.text.ffi import pango

        v = int(pango.pango_version())
        return f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    except Exception:  # WeasyPrint's bindings are not public API; the version is only informative
        return "(version unknown)"


def _first(e: BaseException) -> str:
    return (str(e).splitlines() or [type(e).__name__])[0][:300]


def check_sources(settings: Settings) -> Check:
    from .sources import load_sources

    try:
        config = load_sources(settings.sources)
    except BriefingError as e:
        return fail("sources", str(e), "fix the file, or set BRIEFING_SOURCES to your source config (docs/operations.md, 'Pointing it at real sources')")
    tz = settings.timezone or config.timezone
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return fail("sources", f"unknown timezone {tz!r}", "set BRIEFING_TIMEZONE (or the config's timezone) to an IANA name such as Asia/Shanghai")
    if not config.enabled:
        return fail("sources", f"{config.path}: no source is enabled", "enable at least one source (enabled: true)")
    return ok("sources", f"{config.path}: {len(config.sources)} sources, {len(config.enabled)} enabled; timezone {tz}")


def check_store(settings: Settings) -> Check:
    from .store import SCHEMA_VERSION, describe_url, schema_version

    where = describe_url(settings.db_url)
    try:
        version = schema_version(settings.db_url)
    except BriefingError as e:
        fix = "check BRIEFING_DB_URL; start the database server"
        if "postgres" in settings.db_url:
            fix += f" and create the database (createdb {settings.db_url.rsplit('/', 1)[-1].split('?')[0]})"
        return fail("store", str(e), fix)
    if version is None:
        return ok("store", f"{where}: reachable, no store yet (its tables are made on first use, schema {SCHEMA_VERSION})")
    if version > SCHEMA_VERSION:
        return fail("store", f"{where}: schema {version}, newer than this briefing's {SCHEMA_VERSION}", "upgrade briefing to the version that wrote this store")
    if version < SCHEMA_VERSION:
        return ok("store", f"{where}: reachable, schema {version} (migrated to {SCHEMA_VERSION} when the pipeline next opens it)")
    return ok("store", f"{where}: reachable, schema {version}")


def check_archive(settings: Settings) -> Check:
    """The archive takes a file: a probe is written and removed."""
    from .publish import Archive

    probe = f".doctor-{uuid.uuid4().hex}"
    try:
        archive = Archive(settings.archive)
        written = archive.write(probe, b"briefing doctor")
        archive.remove(probe)
    except BriefingError as e:
        return fail("archive", str(e), f"make {settings.archive} writable by this user, or set BRIEFING_ARCHIVE to a place it can write")
    return ok("archive", f"{written.rsplit('/', 1)[0]}: writable")


def check_subscribers(settings: Settings) -> Check:
    from .classify import load_themes
    from .publish.mail import load_subscribers

    if not settings.subscribers:
        return skip("subscribers", "BRIEFING_SUBSCRIBERS is not set: no email is sent")
    try:
        subscribers = load_subscribers(settings.subscribers, [t.id for t in load_themes()])
    except BriefingError as e:
        return fail("subscribers", str(e), "fix that line of the subscribers file (one address a line, or email,name,themes)")
    return ok("subscribers", f"{settings.subscribers}: {len(subscribers)} subscriber{'' if len(subscribers) == 1 else 's'}")


#: the shortest unsubscribe secret accepted (bytes of text; 32 random bytes, base64, is what ``openssl rand -base64 32`` gives)
MIN_SECRET = 16


def check_delivery(settings: Settings, needed: bool, dkim_connection: bool = False) -> Check:
    """What a mail provider looks for in a bulk sender (issue 18): a sender on a real domain, one-click
    unsubscribe (RFC 8058), a DKIM signature, a link to the web edition. ``warn`` names each one missing;
    ``fail`` is a piece that is set but cannot work (a key that does not read, an http:// endpoint)."""
    from .publish.mail import DkimKey, sender_domain

    if not needed:
        return skip("delivery", "no subscribers: no email is sent")
    domain = sender_domain(settings.sender)
    broken, missing, fine = [], [], []
    if "." not in domain or domain.endswith((".localhost", ".local", ".invalid", ".test")):
        missing.append(f"the sender {settings.sender!r} is on no real domain, so Message-ID and List-Id are not either: set BRIEFING_FROM to an address on your domain")
    else:
        fine.append(f"from {domain}")
    url, secret = settings.unsubscribe_url, settings.unsubscribe_secret
    if url and not url.lower().startswith("https://"):
        broken.append(f"BRIEFING_UNSUBSCRIBE_URL={url!r} is not https://: providers accept only an HTTPS one-click link (RFC 8058)")
    elif secret and len(secret) < MIN_SECRET:
        broken.append(f"the unsubscribe secret is {len(secret)} characters long: use at least {MIN_SECRET} random ones (openssl rand -base64 32)")
    elif not (url and secret):
        missing.append("no one-click unsubscribe: set BRIEFING_UNSUBSCRIBE_URL (https://<airflow>/briefing/unsubscribe, or briefing unsubscribe-server behind HTTPS) and BRIEFING_UNSUBSCRIBE_SECRET or ..._SECRET_FILE")
    else:
        fine.append("one-click unsubscribe")
    if settings.dkim_key_file:
        try:
            key = DkimKey.from_file(settings.dkim_key_file, settings.dkim_selector, settings.dkim_domain or domain)
        except BriefingError as e:
            broken.append(str(e))
        else:
            fine.append(f"DKIM {key.selector}._domainkey.{key.domain}")
            if key.domain != domain and not domain.endswith("." + key.domain):
                missing.append(f"the DKIM domain {key.domain} is not the sender's ({domain}): DMARC wants them aligned")
    elif dkim_connection:
        fine.append(f"DKIM from the connection {DKIM_CONN}")
    else:
        missing.append("unsigned: set BRIEFING_DKIM_KEY_FILE and BRIEFING_DKIM_SELECTOR (in Airflow the connection briefing_dkim may hold the key), and publish the public key in DNS at <selector>._domainkey.<domain>")
    if not settings.public_url:
        missing.append("no link to the web edition: set BRIEFING_PUBLIC_URL to where the archive is served")
    if broken:
        return fail("delivery", "; ".join(broken), "fix the setting named; see docs/email.md")
    if missing:
        return Check("delivery", "warn", "; ".join(missing), "see docs/email.md")
    return ok("delivery", ", ".join(fine) + ", web edition linked")


def check_smtp(target: SmtpTarget | None, needed: bool, probe: Callable[[SmtpTarget], str] = probe_smtp) -> Check:
    if target is None:
        if needed:
            return fail("smtp", f"subscribers or alerts are set, but there is no SMTP server (--smtp, or the connection {SMTP_CONN} in Airflow)", f"give --smtp smtp://host:port; in Airflow: {SMTP_CONN_FIX}")
        return skip("smtp", "no SMTP server and no subscribers: no email is sent")
    try:
        done = probe(target)
    except BriefingError as e:
        return fail("smtp", f"{target.origin}: {e}", f"check the host, port, TLS and login of {target.origin}, and that this machine may reach the server")
    return ok("smtp", f"{target} ({target.origin}): {done}; no mail sent")


# --- inside Airflow ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AirflowFacts:
    """What Airflow's command line said, each as a value or the error it gave."""

    version: str | BriefingError
    migrated: str | BriefingError
    plugins: object | BriefingError
    dags_folder: str | BriefingError
    plugins_folder: str | BriefingError
    pool: object | BriefingError | None  # None: no pool named
    smtp: str | BriefingError  # the connection's URI
    variables: dict[str, str] | BriefingError
    dkim: bool | BriefingError = False  # whether the connection briefing_dkim is defined (its key is not read here)


def airflow_facts(airflow: AirflowCommand, pool: str | None) -> AirflowFacts:
    """Ask Airflow's command line everything at once (each command takes seconds to start)."""

    def text(*args: str) -> str:
        out = airflow.run(*args)
        if out.returncode != 0:
            raise ConfigError(_last_line(out.stderr) or _last_line(out.stdout) or f"airflow {' '.join(args)}: exit status {out.returncode}")
        return _last_line(out.stdout)

    def smtp() -> str:
        rows = airflow.json("connections", "get", SMTP_CONN, "-o", "json")
        if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
            raise ConfigError(f"the connection {SMTP_CONN} is not defined")
        return str(rows[0].get("get_uri") or "")

    def variables() -> dict[str, str]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "variables.json"
            out = airflow.run("variables", "export", str(path))
            if out.returncode != 0:
                raise ConfigError(_last_line(out.stderr) or "airflow variables export failed")
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def folders() -> dict[str, str]:
        out = airflow.run("config", "list", "--section", "core", "--show-values", "--hide-sensitive", "--color", "off")
        if out.returncode != 0:
            raise ConfigError(_last_line(out.stderr) or "airflow config list failed")
        values = dict(line.split(" = ", 1) for line in out.stdout.splitlines() if " = " in line)
        missing = [k for k in ("dags_folder", "plugins_folder") if not values.get(k)]
        if missing:
            raise ConfigError(f"airflow config list names no {' or '.join(missing)}")
        return values

    jobs: dict[str, Callable[[], object]] = {
        "version": lambda: text("version"),
        "migrated": lambda: text("db", "check-migrations", "--migration-wait-timeout", "1"),
        "plugins": lambda: airflow.json("plugins", "-o", "json"),
        "folders": folders,
        "smtp": smtp,
        "variables": variables,
        "dkim": lambda: bool(airflow.json("connections", "get", DKIM_CONN, "-o", "json")),  # an error when it is not defined
    }
    if pool:
        jobs["pool"] = lambda: airflow.json("pools", "get", pool, "-o", "json")
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool_of_threads:
        futures = {name: pool_of_threads.submit(job) for name, job in jobs.items()}
    values = {name: _value(f) for name, f in futures.items()}
    config = values.pop("folders")
    for key in ("dags_folder", "plugins_folder"):
        values[key] = config[key] if isinstance(config, dict) else config
    return AirflowFacts(
        version=values["version"],  # type: ignore[arg-type]
        migrated=values["migrated"],  # type: ignore[arg-type]
        plugins=values["plugins"],
        dags_folder=values["dags_folder"],  # type: ignore[arg-type]
        plugins_folder=values["plugins_folder"],  # type: ignore[arg-type]
        pool=values.get("pool"),
        smtp=values["smtp"],  # type: ignore[arg-type]
        variables=values["variables"],  # type: ignore[arg-type]
        dkim=values["dkim"],  # type: ignore[arg-type]
    )


def _value(future: Future[object]) -> object:
    try:
        return future.result()
    except BriefingError as e:
        return e
    except (ValueError, OSError) as e:  # unreadable JSON or a file that went away
        return ConfigError(f"{type(e).__name__}: {e}")


def airflow_checks(facts: AirflowFacts, pool: str | None, concurrency: str) -> list[Check]:
    checks = []
    if isinstance(facts.version, BriefingError):
        return [fail("airflow", f"the airflow command does not run: {facts.version}", "reinstall Airflow, or run the doctor where Airflow runs (its AIRFLOW_HOME and settings)")]
    if isinstance(facts.migrated, BriefingError):
        checks.append(fail("airflow", f"Airflow {facts.version}: its metadata database is not ready: {facts.migrated}", "airflow db migrate"))
    else:
        checks.append(ok("airflow", f"Airflow {facts.version}: metadata database migrated"))

    folder = facts.plugins_folder if isinstance(facts.plugins_folder, str) else "the plugins folder"
    plugin_fix = f"copy plugins/*.py of briefing's source into {folder} (AIRFLOW__CORE__PLUGINS_FOLDER), then restart the Airflow components"
    if isinstance(facts.plugins, BriefingError):
        checks.append(fail("plugins", f"airflow plugins failed: {facts.plugins}", plugin_fix))
    else:
        found = [p for p in facts.plugins if isinstance(p, dict) and p.get("name") == PLUGIN] if isinstance(facts.plugins, list) else []
        if not found:
            checks.append(fail("plugins", f"the plugin {PLUGIN!r} is not registered", plugin_fix))
        elif not any("BriefingWeekTimetable" in str(t) for t in found[0].get("timetables") or []):
            checks.append(fail("plugins", f"the plugin {PLUGIN!r} has no BriefingWeekTimetable", plugin_fix))
        else:
            checks.append(ok("plugins", f"{PLUGIN!r} registered from {found[0].get('source', folder)}: the week timetable, the run links, the archive app"))

    if isinstance(facts.dags_folder, BriefingError):
        checks.append(fail("dag", f"cannot read Airflow's DAGs folder: {facts.dags_folder}", "check AIRFLOW_HOME and airflow.cfg"))
    else:
        dags = Path(facts.dags_folder)
        found_dag = next(iter(sorted(dags.rglob(DAG_FILE))), None) if dags.is_dir() else None
        if found_dag is None:
            checks.append(fail("dag", f"no {DAG_FILE} in the DAGs folder {dags}", f"copy dags/{DAG_FILE} of briefing's source into {dags} (AIRFLOW__CORE__DAGS_FOLDER)"))
        else:
            checks.append(ok("dag", f"{found_dag}"))

    checks.append(check_pool(pool, facts.pool, concurrency))
    return checks


def check_pool(pool: str | None, found: object | BriefingError | None, concurrency: str) -> Check:
    """The fetch tasks' pool: none to set up unless ``BRIEFING_FETCH_POOL`` names one, which must exist
    (``found``: what ``airflow pools get`` said of it)."""
    if pool is None:
        return ok("pool", f"{FETCH_POOL_ENV} names no pool: fetches run in default_pool, at most {concurrency} at once (BRIEFING_FETCH_CONCURRENCY)")
    if isinstance(found, BriefingError) or found is None:
        return fail("pool", f"{FETCH_POOL_ENV}={pool}, but that pool does not exist ({found}): every weekly run would fail at its start", POOL_FIX.format(pool=pool) + f", or unset {FETCH_POOL_ENV}")
    rows = found if isinstance(found, list) else []
    slots = rows[0].get("slots", "?") if rows and isinstance(rows[0], dict) else "?"
    return ok("pool", f"{pool}: {slots} slots")


# --- all of it ----------------------------------------------------------------------------------


def diagnose(
    env: Mapping[str, str] | None = None,
    *,
    sources: str | None = None,
    db_url: str | None = None,
    archive: str | None = None,
    subscribers: str | None = None,
    smtp: str | None = None,
    airflow: AirflowCommand | None = None,
) -> list[Check]:
    """Every check of the deployment the settings describe (``env`` and the explicit arguments, as
    ``Settings.load``); with ``airflow``, also Airflow's side, and its Variables override the settings."""
    e = dict(os.environ if env is None else env)
    checks = [check_python(), check_packages(("airflow",) if airflow else ())]
    pool = e.get(FETCH_POOL_ENV) or None
    facts = airflow_facts(airflow, pool) if airflow else None
    if facts is not None and isinstance(facts.variables, dict):
        for name in ENV_NAMES:  # as the DAG reads them: a Variable of the lower-case name wins
            value = e.get(f"AIRFLOW_VAR_{name}") or facts.variables.get(name.lower())
            if value:
                e[name] = value
    settings = Settings.load(e, sources=sources, db_url=db_url, archive=archive, subscribers=subscribers)
    checks += [check_articles(), check_fonts(), check_pango(), check_sources(settings), check_store(settings), check_archive(settings), check_subscribers(settings)]
    checks.append(check_llm(e))

    needed = bool(settings.subscribers) or bool(airflow and e.get("BRIEFING_ALERT_EMAIL"))
    try:
        target = _smtp_target(smtp, facts)
    except (BriefingError, ValueError) as err:
        checks.append(fail("smtp", str(err), SMTP_CONN_FIX if not smtp else "give --smtp as smtp://[user:pass@]host:port (smtps:// for TLS)"))
    else:
        checks.append(check_smtp(target, needed))
    dkim_connection = facts is not None and facts.dkim is True
    checks.append(check_delivery(settings, bool(settings.subscribers) or _store_has_subscribers(settings), dkim_connection))

    if facts is None:
        checks.append(skip("airflow", "not inside Airflow (no airflow command here): the pool, smtp_default and the plugins are not checked"))
    else:
        if isinstance(facts.variables, BriefingError) and not isinstance(facts.version, BriefingError):
            checks.append(fail("variables", f"cannot read Airflow's Variables: {facts.variables}", "check that the metadata database is reachable (airflow db check)"))
        checks += airflow_checks(facts, pool, e.get("BRIEFING_FETCH_CONCURRENCY") or str(FETCH_CONCURRENCY))
    return checks


def _store_has_subscribers(settings: Settings) -> bool:
    """Whether the store keeps subscribers (read only: a store not made yet, or out of reach, keeps none)."""
    from .store import SCHEMA_VERSION, Store, schema_version

    try:
        if schema_version(settings.db_url) != SCHEMA_VERSION:  # none yet, or one opening would migrate
            return False
        with Store(settings.db_url) as store:
            return bool(store.subscriber_counts()["active"])
    except BriefingError:
        return False


def _smtp_target(smtp: str | None, facts: AirflowFacts | None) -> SmtpTarget | None:
    """The server to greet: ``--smtp``, else Airflow's smtp_default; None when there is neither."""
    if smtp:
        return SmtpTarget.from_url(smtp)
    if facts is None or isinstance(facts.smtp, BriefingError):
        return None  # not in Airflow, or no smtp_default: check_smtp says whether email needs one
    try:
        return SmtpTarget.from_airflow_uri(facts.smtp)
    except (BriefingError, ValueError) as e:
        raise ConfigError(f"the connection {SMTP_CONN} cannot be read: {e}") from e


def check_llm(env: Mapping[str, str]) -> Check:
    """The language model endpoint of ``BRIEFING_LLM_*`` (briefing.enrich): its settings read, and it
    answers a list of models through the guarded client (no chat request: it costs no tokens)."""
    from .enrich.endpoint import Endpoint, make_client

    try:
        endpoint = Endpoint.from_env(env)
    except BriefingError as e:
        return fail("language model", str(e), "fix the BRIEFING_LLM_* settings (docs/english.md), or unset them to build offline")
    if endpoint is None:
        return skip("language model", "BRIEFING_LLM_URL is not set: Chinese stories carry the offline English line")
    import openai

    client = make_client(replace(endpoint, timeout=10.0, connect_timeout=5.0))
    try:
        models = [m.id for m in client.models.list()]
    except openai.NotFoundError:
        return ok("language model", f"{endpoint.url}: answers (it lists no models); model {endpoint.model}")
    except openai.AuthenticationError:
        return fail("language model", f"{endpoint.url}: the key is refused", "set BRIEFING_LLM_KEY or BRIEFING_LLM_KEY_FILE (in the DAG: the password of the connection briefing_llm)")
    except (openai.OpenAIError, ValueError) as e:
        cause: BaseException = e
        while cause.__cause__ is not None:
            cause = cause.__cause__
        return fail("language model", f"{endpoint.url}: no answer: {cause}", "start the endpoint, or fix BRIEFING_LLM_URL (a loopback or BRIEFING_LLM_ALLOW_PRIVATE address); without it the briefing falls back to offline lines")
    finally:
        client.close()
    known = "" if not models or endpoint.model in models else f"; it does not list {endpoint.model} (it lists {', '.join(models[:5])})"
    return ok("language model", f"{endpoint.url}: answers; model {endpoint.model}{known}")
