"""The terminal questionnaire's layout: the flow itself lives in `assess.flow` (the web
app walks the same one); this module wraps the text to the terminal's width."""

from __future__ import annotations

import shutil
import textwrap

from backstride.assess.flow import CHECKLIST_MAX, Flow, is_checklist, is_warning_sign

__all__ = ["CHECKLIST_MAX", "Flow", "is_checklist", "is_warning_sign", "wrap"]


def wrap(text: str, *, indent: str = "", width: int | None = None) -> str:
    """`text` wrapped at word boundaries to the terminal's width."""
    columns = width or min(shutil.get_terminal_size((100, 24)).columns, 100)
    return textwrap.fill(
        " ".join(text.split()), width=max(columns - 1, 40), initial_indent=indent,
        subsequent_indent=" " * len(indent), break_long_words=False, break_on_hyphens=False,
    )  # fmt: skip
