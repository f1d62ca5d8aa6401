"""The isolated PDF renderer (``render_pdf``'s child): HTML on stdin, PDF on stdout; argv: week, memory cap in MB."""

from __future__ import annotations

import sys

from ._pdf import bound_memory, write_pdf

if __name__ == "__main__":  # the isolated renderer: HTML on stdin, PDF on stdout; argv: week, memory cap in MB
    if len(sys.argv) > 2:
        bound_memory(int(sys.argv[2]))
    sys.stdout.buffer.write(
        write_pdf(sys.stdin.buffer.read().decode("utf-8"), sys.argv[1] if len(sys.argv) > 1 else "")
    )
