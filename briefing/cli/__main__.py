"""``python -m briefing.cli``: the ``briefing`` command."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
