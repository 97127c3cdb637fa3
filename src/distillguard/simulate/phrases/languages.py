"""The languages of the simulated traffic: their names, scripts and sentence gaps.

English and native names and the script of each language, and what goes between two
sentences of it (Japanese and Chinese use no space).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

LANGUAGE_NAMES: Final = MappingProxyType(
    {
        "en": "English",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "pt": "Portuguese",
        "ja": "Japanese",
        "zh": "Chinese",
        "ko": "Korean",
        "ru": "Russian",
    }
)
NATIVE_NAMES: Final = MappingProxyType(
    {
        "en": "English",
        "de": "Deutsch",
        "fr": "français",
        "es": "español",
        "pt": "português",
        "ja": "日本語",
        "zh": "中文",
        "ko": "한국어",
        "ru": "русский",
    }
)
SCRIPTS: Final = MappingProxyType(
    {
        "en": "Latin script",
        "de": "Latin script",
        "fr": "Latin script",
        "es": "Latin script",
        "pt": "Latin script",
        "ja": "Japanese kana and kanji",
        "zh": "simplified Chinese characters",
        "ko": "Hangul",
        "ru": "Cyrillic script",
    }
)
#: What goes between two sentences of a language (Japanese and Chinese use no space).
SENTENCE_GAP: Final = MappingProxyType(
    {
        "en": " ",
        "de": " ",
        "fr": " ",
        "es": " ",
        "pt": " ",
        "ja": "",
        "zh": "",
        "ko": " ",
        "ru": " ",
    }
)
