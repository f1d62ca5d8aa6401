"""``python -m briefing``: the ``briefing`` command, as ``python -m briefing.cli``."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
