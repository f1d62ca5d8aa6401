"""Where the briefings are kept: a local directory, or an object-storage URL through fsspec.

``Archive(location)`` takes a path (``archive/``) or a URL (``s3://bucket/briefing``,
``gcs://...``, ``memory://...`` in tests; the protocol's fsspec package must be installed). Writes are
whole-file: locally a temporary file in the same directory, then a rename; in object storage a
temporary object, then a move, so a reader sees the old file or the new one, never a part. Names are
flat (``briefing-2026-W47.pdf``), plus a ``.drafts/`` area for rendered drafts awaiting approval and a
``.rejected/`` area where a rejected draft is withdrawn to (never served, kept for the record).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from .errors import PublishError

__all__ = ["Archive"]


class Archive:
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

    def locate(self, name: str) -> str:
        """Where ``name`` is: a resolved local path, or the object's URL."""
        if self._fs is None:
            return str((self._path / name).resolve())
        return str(self._fs.unstrip_protocol(f"{self._root}/{name}"))

    def write(self, name: str, data: bytes) -> str:
        """Write ``name`` whole, atomically; returns where it is."""
        if self._fs is None:
            path = self._path / name
            _atomic_write(path, data)
            return str(path.resolve())
        final = f"{self._root}/{name}"
        parent = final.rsplit("/", 1)[0]
        temp = f"{parent}/.{final.rsplit('/', 1)[1]}.{uuid.uuid4().hex}.tmp"
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
                return (self._path / name).read_bytes()
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
            return (self._path / name).is_file()
        return bool(self._fs.isfile(f"{self._root}/{name}"))

    def names(self) -> list[str]:
        """The files at the top of the archive (not the drafts)."""
        if self._fs is None:
            return sorted(p.name for p in self._path.iterdir() if p.is_file()) if self._path.is_dir() else []
        try:
            entries = self._fs.ls(self._root, detail=False)
        except FileNotFoundError:
            return []
        return sorted(str(e).rstrip("/").rsplit("/", 1)[-1] for e in entries if self._fs.isfile(e))


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
