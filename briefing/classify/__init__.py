"""Classify stories by theme with a weighted bilingual lexicon.

The taxonomy (``config/themes.yaml``, or a file of the deployment's) gives every theme weighted terms in
English and Chinese. English terms match whole words case-insensitively (a trailing ``*`` makes the last
word a prefix), also next to Chinese characters; Chinese terms match as substrings, except inside a longer
word or name a theme excludes (新智元, a media outlet, holds the robot maker 智元). Both lexicons run over
every story, so English, Chinese and mixed titles are classified alike. A theme's raw score adds the weights
of the distinct terms found by where they stand: in the headline double, in the lead (the first 300
characters, 150 of Chinese) once, and in the rest of the text by how densely it mentions them, at most
``rest_cap`` points, so that a passing mention in a long article gives no theme. Who acts (a theme's
context terms) counts in the headline and the lead only. A theme's setting terms
(science's researchers and universities) count only where no other theme's own terms are in the headline
or lead, and a theme with subject words (Policy: technology, energy, science) applies only where its
subject stands there; a theme marked ``head_only`` (chips, science) applies only where its own terms stand
there too; a theme's meeting words (Policy's 会见, and 新任 for a ministry's new chief) in a headline
without its lead terms say the state meets or names its staff, not acts, and the theme does not apply; who
acts opening a headline ("Senators Probe TikTok…"), unless a person the theme names (a leader: his talks),
acts on the theme's subject without its own terms. A source whose beat is a theme (the theme's ``sources``:
a science journal's news desk) counts like one decisive term in the lead. A daily brief whose text opens
with a contents list leads with its first entry; a state body named in the lead as the source of figures
(工业和信息化部最新数据显示) is quoted, not acting, and is left out of it. What an English headline names in
passing counts once, as in the lead: its circumstance ("…amid AI boom") and the last item of a list of three or
more ("thinner, lighter, and sprinkled with AI"). The score is
squashed into [0, 1]; the themes that clear the threshold apply, highest first, and the first is the primary.
Every score keeps the terms that made it, so each decision can be explained.

The public face is here; behind it:

- ``_taxonomy``: reading and validating the taxonomy file (``load_themes``);
- ``_lexicon``: the term matcher, in time proportional to the text's length;
- ``_scoring``: the lexicon's points per theme, by where the terms stand;
- ``_classifier``: which themes apply and which is the primary.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..records import Classification, Story
from ._classifier import Classifier
from ._lexicon import Lexicon
from ._taxonomy import DEFAULT_THEMES, load_themes

__all__ = ["DEFAULT_THEMES", "Classifier", "Lexicon", "classify", "explain", "load_themes"]


@lru_cache(maxsize=4)
def _default_classifier(path: str) -> Classifier:
    return Classifier(load_themes(path))


def classify(stories: Iterable[Story], themes_path: str | Path = DEFAULT_THEMES) -> list[Classification]:
    """Classify every story, in order; a large batch (a backfill's) on every core (``parallel``)."""
    return _default_classifier(str(themes_path)).classify_all(list(stories))


def explain(classification: Classification) -> dict[str, Any]:
    """A JSON-ready account of why each theme applies."""
    return {
        t.id: {"score": t.score, "terms": [{"term": term, "weight": w, "in": where} for term, w, where in t.evidence]}
        for t in classification.themes
    }
