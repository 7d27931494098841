"""The screens' words (web/i18n/<lang>.json), read once, for the plates the server sends.

A CasparCG template or an OSC tool shows the same words as the overlay page beside it: both
take them from the one catalogue of each language. Only flat sentences with {named} places
are used here (no plural forms).
"""

from __future__ import annotations

import json
import re
from functools import cache

from app.i18n.names import LANGUAGES, Language
from app.webroot import web_root

CATALOGUES = web_root() / "i18n"
RIGHT_TO_LEFT: frozenset[Language] = frozenset({"ar"})
_PLACE = re.compile(r"\{(\w+)\}")


def language_of(text: str | None) -> Language:
    """One of the six languages, or a clear refusal."""
    for lang in LANGUAGES:
        if text == lang:
            return lang
    raise ValueError(f"the language must be one of {', '.join(LANGUAGES)}, not {text!r}")


@cache
def catalogue(lang: Language) -> dict[str, object]:
    words: dict[str, object] = json.loads((CATALOGUES / f"{lang}.json").read_text("utf-8"))
    return words


def say(lang: Language, key: str, **params: str) -> str:
    """The sentence `key` in `lang` (else in English) with its places filled."""
    text = catalogue(lang).get(key)
    if not isinstance(text, str):
        text = catalogue("en").get(key)
    if not isinstance(text, str):
        raise KeyError(f"no sentence '{key}' in the catalogues")
    return _PLACE.sub(lambda m: params.get(m.group(1), m.group(0)), text)


def direction(lang: Language) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"
