"""Who holds a claim: this host and process, and whether a holder is gone.

A delivery claim in the store and a temporary file in the archive each carry an owner string,
``host:pid:start:token``: the host name, the process id, the process's start time (from ``/proc``,
empty where there is none) and a random token that makes every claim distinct. ``gone(owner)`` is true
only when it can be known: the owner ran on this host and its process no longer runs (or the pid now
belongs to a process that started later). An owner on another host is never known to be gone; callers
fall back to a lease for those.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

__all__ = ["gone", "new_owner", "owner_label"]


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first), or [] where there is none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
    except OSError:
        return []


def _start_time(pid: int) -> str:
    """The start time of process ``pid`` in clock ticks since boot, or "" where /proc cannot say."""
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""  # field 22 of stat(5); the first two precede the state


def new_owner() -> str:
    """A fresh owner string for this process: ``host:pid:start:token``."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}:{uuid.uuid4().hex[:12]}"


def owner_label(owner: str | None) -> str:
    """``process 1234 on host`` for messages; the token is left out."""
    if not owner:
        return "an earlier version of briefing"
    parts = owner.rsplit(":", 3)
    return f"process {parts[1]} on {parts[0]}" if len(parts) == 4 else owner


def gone(owner: str | None) -> bool:
    """True when ``owner``'s process is known to have ended (it ran on this host and runs no more)."""
    if not owner:
        return False
    parts = owner.rsplit(":", 3)
    if len(parts) != 4 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it runs, as another user
    fields = _stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return True  # killed, not yet reaped by its parent
    started = fields[19] if len(fields) > 19 else ""
    return bool(parts[2] and started and started != parts[2])  # the pid was reused by a later process
