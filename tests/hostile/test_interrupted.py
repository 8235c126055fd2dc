"""A build killed at any moment leaves the previous site whole, and the next build recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..test_build import tree_digest


def _start(content: Path, out: Path, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", str(content), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.5, 5.0])
def test_killing_a_build_keeps_the_previous_site(mini: Path, tmp_path: Path, delay: float) -> None:
    out = tmp_path / "site"
    first = subprocess.run([sys.executable, "-m", "generator", "build", str(mini), "--out", str(out), "--quiet"],
                           capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = tree_digest(out)
    files_before = sorted(p.relative_to(out) for p in out.rglob("*"))
    # change the content so a finished build would differ, then kill the build part-way
    summary = mini / "las/north/oakfield-S1.md"
    summary.write_text(summary.read_text().replace("Caseloads are high", "Caseloads are very high"))
    process = _start(mini, out)
    time.sleep(delay)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # the build and any worker processes, with no chance to tidy up
    process.wait(timeout=60)
    page = out / "cross-case/code-documents/oakfield/S1.html"
    if process.returncode == 0 or tree_digest(out) != before:
        # it finished, or was killed just after the swap: then the new site must be whole
        assert "very high" in page.read_text()
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == files_before
    # the next build cleans up what the killed one left and publishes normally
    again = subprocess.run([sys.executable, "-m", "generator", "build", str(mini), "--out", str(out), "--quiet"],
                           capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "very high" in (out / "cross-case/code-documents/oakfield/S1.html").read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("delay", [1.5, 3.5])  # mid-build, and near the end (teardown on a fast machine)
def test_ctrl_c_stops_cleanly(mini: Path, tmp_path: Path, delay: float) -> None:
    process = _start(mini, tmp_path / "site", subprocess.PIPE)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode != 0:  # it may already have finished on a fast machine
        # 130, or death by the signal itself after the message (a shell reports both as 130); seen about
        # once in eight runs on a loaded 2-core machine, cause not yet found (see the stop's closing note)
        assert process.returncode in (130, -signal.SIGINT)
        assert b"Traceback" not in stderr
        assert b"the previous site was left as it was" in stderr
