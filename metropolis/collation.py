"""Sorting names the way each language's readers expect: Latin names with
accents set aside ("Área" with the a's), Chinese names by their pinyin
(阿比让 before 北京 before 重庆), not by character code."""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from pypinyin import Style, lazy_pinyin

T = TypeVar("T")


def _latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def collation_key(text: str, language: str) -> tuple:
    """The sort key of ``text`` for readers of ``language``."""
    text = text or ""
    if language.startswith("zh"):
        # Syllables with their tone number (TONE3), then the text itself for
        # homophones, so that the order is total and stable.
        return (tuple(_latin(s) for s in lazy_pinyin(text, style=Style.TONE3)), text)
    return (_latin(text), text)


def sorted_for(items: Iterable[T], language: str, name: Callable[[T], str]) -> list[T]:
    """``items`` sorted by ``name(item)`` for readers of ``language``."""
    return sorted(items, key=lambda item: collation_key(name(item), language))
