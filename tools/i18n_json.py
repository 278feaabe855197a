"""A Babel extractor for the trade-in questions (chalicelib/tradein/questions.json).

babel.cfg names it as ``[tools.i18n_json.extract_questions: chalicelib/tradein/questions.json]``;
tools/i18n.py runs pybabel with the repository on PYTHONPATH so that it can be imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO


def extract_questions(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Every question text, hint and answer text, as (line, funcname, message, comments)."""
    data = json.load(fileobj)
    for question in data["questions"].values():
        for key in ("text", "hint"):
            if key in question:
                yield 0, "_", question[key], []
        for answer in question["answers"]:
            yield 0, "_", answer["text"], []
