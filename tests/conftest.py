"""Shared fixtures: small content trees, and one build of the demo per test run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
DEMO = ROOT / "content"


SHARED_DATA = ROOT.parent / "shared" / "data"


def unavailable(message: str) -> None:
    """Something a test needs is not on this machine: skip, saying how to get it; under CI=true, fail."""
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data beside the repository (../shared/data); required in CI."""
    if not SHARED_DATA.is_dir():
        unavailable(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


# Reports a test leaves for the end of the run (the accessibility counts), printed in the terminal summary;
# under pytest-xdist each worker hands its reports to the controller, which prints them.
REPORTS = pytest.StashKey[list[str]]()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # an xdist worker
        session.config.workeroutput["reports"] = session.config.stash.get(REPORTS, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:  # xdist: a worker finished
    reports = getattr(node, "workeroutput", {}).get("reports", [])
    node.config.stash.setdefault(REPORTS, []).extend(reports)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    for report in config.stash.get(REPORTS, []):
        terminalreporter.section("accessibility (axe-core)")
        terminalreporter.write_line(report)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the two-LA fixture study, safe to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled demo content."""
    target = tmp_path / "content"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once per test run (as `make site` does)."""
    from generator.build import build

    out = tmp_path_factory.mktemp("demo") / "site"
    assert build(DEMO, out=out, quiet=True) == 0
    return out


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run `python -m generator ARGS` in a subprocess; return (status, stdout, stderr)."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )
    return result.returncode, result.stdout, result.stderr


def problems_of(content: Path) -> list[str]:
    """Every problem `check` finds in ``content``, as the user reads them (the content must fail)."""
    from generator.errors import ContentError
    from generator.pipeline import load_and_validate

    with pytest.raises(ContentError) as error:
        load_and_validate(content)
    return [str(p) for p in error.value.problems]
