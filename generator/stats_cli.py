"""`generator stats ...`: statistics from the terminal (placeholder until filled in)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    commands.add_parser("stats", help="statistics on any CSV (compare groups, growth models)")
