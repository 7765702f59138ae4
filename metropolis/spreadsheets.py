"""Spreadsheets the portal exports (CSV and XLSX), safe to open: a text cell
that a spreadsheet would read as a formula (one that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, and is not a number) is written with a
leading apostrophe,
so that what a city typed (``=HYPERLINK(...)``) is shown, never run. Numbers,
dates and empty cells stay what they are."""

from collections.abc import Iterable
from typing import Any

from import_export.formats import base_formats
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def escape_cell(value: Any) -> Any:
    """``value`` as a cell: text that would start a formula gets an apostrophe.
    A lone sign (the printed tables' "-" for none) or a number written as text
    ("-12.5") starts none and is left as it is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and value.strip() not in ("-", "+")
        and not _is_number(value)
    ):
        return "'" + value
    return value


def escape_row(values: Iterable[Any]) -> list[Any]:
    return [escape_cell(value) for value in values]


def _escaped(dataset: Dataset) -> Dataset:
    safe = Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append(escape_row(row))
    return safe


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset: Dataset, **kwargs: Any) -> Any:
        return super().export_data(_escaped(dataset), **kwargs)


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset: Dataset, **kwargs: Any) -> Any:
        return super().export_data(_escaped(dataset), **kwargs)


# The formats of the admin's imports and exports.
SPREADSHEET_FORMATS = [SafeCSV, SafeXLSX]
