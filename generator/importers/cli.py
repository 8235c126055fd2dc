"""`generator import ...` (placeholder until filled in)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    commands.add_parser("import", help="import official data into dataset documents")
