"""Survey waves: questions, and the responses online survey tools export."""

from .responses import (
    Counts,
    Direction,
    Option,
    QuestionKind,
    QuestionSpec,
    ResponseTable,
    read_responses,
)

__all__ = [
    "Counts",
    "Direction",
    "Option",
    "QuestionKind",
    "QuestionSpec",
    "ResponseTable",
    "read_responses",
]
