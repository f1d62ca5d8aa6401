"""Where the briefings are kept: a local directory, or an object-storage URL through fsspec.

``Archive(location)`` takes a path (``archive/``) or a URL (``s3://bucket/briefing``,
``gcs://...``, ``memory://...`` in tests; the protocol's fsspec package must be installed). Writes are
whole-file: locally a temporary file in the same directory, then a rename; in object storage a
temporary object, then a move, so a reader sees the old file or the new one, never a part. Names are
flat (``briefing-2026-W47.pdf``), plus a ``.drafts/`` area for rendered drafts awaiting approval, a
``.rejected/`` area where a rejected draft is withdrawn to (never served, kept for the record), and a
``.revisions/`` area that keeps each version a run rendered or published under a name of its content
(``briefing-2026-W47.<hash>.html``), never overwritten, so a run's link opens what that run made.

A temporary file is named ``.<name>~<owner>~<random>.tmp`` after the process writing it
(``briefing.owner``). One left behind by a process that was killed is removed by
``clean_temporaries``: at once when its process is known to be gone, else after ``STALE_TEMP``.
Locally, only regular files inside the archive are read: a symbolic link that leads out of it is
treated as missing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import PublishError
from ..owner import gone, new_owner
from ._names import REVISIONS

__all__ = ["STALE_TEMP", "Archive", "atomic_write", "keep_revision", "revision_name"]

#: a temporary file older than this (seconds) is abandoned, whoever wrote it
STALE_TEMP = 3600.0
_TEMP_RE = re.compile(r"^\.(?P<name>[^~/]+)~(?P<owner>[^~/]*)~[^~/]*\.tmp\Z")
_OLD_TEMP_RE = re.compile(r"^\.[^/]+\.tmp\Z")  # what earlier versions left: .<name>.<random>.tmp


class Archive:
    """The archive at ``location``: a directory, or an object-storage URL (see the module's docstring)."""

    def __init__(self, location: str | Path) -> None:
        text = str(location)
        self.location = text
        self._fs: Any = None
        if "://" in text and not text.startswith("file://"):
            import fsspec

            try:
                self._fs, root = fsspec.core.url_to_fs(text)
            except (ImportError, ValueError) as e:
                raise PublishError(f"cannot open the archive at {text}: {e}") from e
            self._root = str(root).rstrip("/")
        else:
            self._path = Path(text.removeprefix("file://"))

    @property
    def local(self) -> bool:
        return self._fs is None

    def _inside(self, name: str) -> Path | None:
        """The regular file ``name`` is, if it is one and lies inside the archive (after links); else None."""
        try:
            real = (self._path / name).resolve(strict=True)
            return real if real.is_relative_to(self._path.resolve()) and real.is_file() else None
        except (OSError, RuntimeError):
            return None

    def locate(self, name: str) -> str:
        """Where ``name`` is: a resolved local path, or the object's URL."""
        if self._fs is None:
            return str((self._path / name).resolve())
        return str(self._fs.unstrip_protocol(f"{self._root}/{name}"))

    def write(self, name: str, data: bytes) -> str:
        """Write ``name`` whole, atomically; returns where it is."""
        if self._fs is None:
            path = self._path / name
            atomic_write(path, data)
            return str(path.resolve())
        final = f"{self._root}/{name}"
        parent = final.rsplit("/", 1)[0]
        temp = f"{parent}/.{final.rsplit('/', 1)[1]}~{new_owner()}~.tmp"
        try:
            self._fs.pipe_file(temp, data)
            self._fs.mv(temp, final)
        except Exception as e:  # each fsspec backend raises its own errors
            try:
                self._fs.rm(temp)
            except Exception:
                pass
            raise PublishError(f"cannot write {self.locate(name)}: {e}") from e
        return self.locate(name)

    def read(self, name: str) -> bytes:
        try:
            if self._fs is None:
                found = self._inside(name)
                if found is None:
                    raise FileNotFoundError(name)
                return found.read_bytes()
            return bytes(self._fs.cat_file(f"{self._root}/{name}"))
        except FileNotFoundError as e:
            raise PublishError(f"no {name} in the archive at {self.location}") from e

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there."""
        try:
            if self._fs is None:
                (self._path / name).unlink(missing_ok=True)
            elif self._fs.isfile(f"{self._root}/{name}"):
                self._fs.rm(f"{self._root}/{name}")
        except Exception as e:  # OSError locally; each fsspec backend raises its own errors
            raise PublishError(f"cannot remove {self.locate(name)}: {e}") from e

    def exists(self, name: str) -> bool:
        if self._fs is None:
            return self._inside(name) is not None
        return bool(self._fs.isfile(f"{self._root}/{name}"))

    def clean_temporaries(self, area: str = "", *, now: float | None = None) -> list[str]:
        """Remove the temporary files a killed writer left in ``area`` (``""`` or ``.drafts``); returns their names."""
        moment = time.time() if now is None else now
        removed: list[str] = []
        for name, modified in self._entries(area):
            m = _TEMP_RE.match(name)
            if not m and not _OLD_TEMP_RE.match(name):
                continue
            abandoned = (m is not None and gone(m.group("owner"))) or (
                modified is not None and moment - modified > STALE_TEMP
            )
            if not abandoned:
                continue
            key = f"{area}/{name}" if area else name
            try:
                if self._fs is None:
                    (self._path / key).unlink(missing_ok=True)
                else:
                    self._fs.rm(f"{self._root}/{key}")
            except (OSError, FileNotFoundError):
                continue
            removed.append(key)
        return removed

    def _entries(self, area: str) -> list[tuple[str, float | None]]:
        """(name, modified time or None) of the files in ``area``."""
        if self._fs is None:
            folder = self._path / area
            if not folder.is_dir():
                return []
            out: list[tuple[str, float | None]] = []
            for p in folder.iterdir():
                try:
                    if p.is_file() and not p.is_symlink():
                        out.append((p.name, p.stat().st_mtime))
                except OSError:
                    continue
            return out
        try:
            entries = self._fs.ls(f"{self._root}/{area}".rstrip("/"), detail=True)
        except FileNotFoundError:
            return []
        found: list[tuple[str, float | None]] = []
        for e in entries:
            if e.get("type") != "file":
                continue
            stamp = e.get("mtime") or e.get("LastModified") or e.get("created")
            seconds = (
                stamp.timestamp()
                if hasattr(stamp, "timestamp")
                else float(stamp)
                if isinstance(stamp, (int, float))
                else None
            )
            found.append((str(e["name"]).rstrip("/").rsplit("/", 1)[-1], seconds))
        return found

    def names(self) -> list[str]:
        """The files at the top of the archive (not the drafts)."""
        if self._fs is None:
            return sorted(p.name for p in self._path.iterdir() if p.is_file()) if self._path.is_dir() else []
        try:
            entries = self._fs.ls(self._root, detail=False)
        except FileNotFoundError:
            return []
        return sorted(str(e).rstrip("/").rsplit("/", 1)[-1] for e in entries if self._fs.isfile(e))


def revision_name(name: str, data: bytes) -> str:
    """The name the revision of the file ``name`` holding ``data`` is kept under: ``briefing-2026-W47.<hash>.html``."""
    stem, _, suffix = name.rsplit("/", 1)[-1].rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"


def keep_revision(archive: Archive, name: str) -> str:
    """Keep the archive's file ``name`` (a draft or a published file) in ``.revisions/``; the revision's name.

    A revision is named by its content, so keeping the same file twice writes nothing new, and a later
    run that renders something else adds a revision beside it instead of replacing what this one made."""
    data = archive.read(name)
    revision = revision_name(name, data)
    if not archive.exists(f"{REVISIONS}/{revision}"):
        archive.write(f"{REVISIONS}/{revision}", data)
    return revision


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}~{new_owner()}~", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise PublishError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise PublishError(f"cannot write {path}: {e.strerror or e}") from e
