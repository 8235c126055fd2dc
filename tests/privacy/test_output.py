"""Output safety: a build writes only to a folder of its own, every OS error is one line, workers die with the build.

The attacks: every way of pointing ``--out`` at the content (itself, its
parent, inside it, through a symlink, through ``..``), at the chart cache
or the register of identifiers, at a file, under a file, or at a folder of
someone else's files; file-size limits, full disks, read-only disks and
over-long paths; and ``kill -9`` of a build with worker processes running.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import run_cli
from ..test_build import tree_digest


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` with what it is: a file's SHA-256, a symlink's target, or 'dir'."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def refused(project: Path, *args: str) -> str:
    """Run a build that must be refused; assert one line, exit 1, and not one byte changed under ``project``."""
    before = snapshot(project)
    status, stdout, stderr = run_cli("build", "content", "--quiet", *args, cwd=project)
    assert status == 1, stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("error: --out ")
    assert snapshot(project) == before
    return stderr


# --- 1. --out may never be, hold or lie inside the content, the cache or the register --------------------------

@pytest.mark.parametrize("la", [["--la", "north"], []], ids=["la", "all"])
@pytest.mark.parametrize("out", ["content", ".", "content/sub", "content/las", "content/..", "site/../content",
                                 "content/./", "./content/las/north"])
def test_out_pointing_at_the_content_is_refused(mini: Path, out: str, la: list[str]) -> None:
    project = mini.parent
    message = refused(project, "--out", out, *la)
    assert "content folder" in message


def test_out_given_as_an_absolute_path_to_the_content_is_refused(mini: Path) -> None:
    assert "content folder" in refused(mini.parent, "--la", "north", "--out", str(mini))


@pytest.mark.parametrize(("link_to", "inside"), [("content", "link/sub"), ("content/las", "link/north"),
                                                ("content/las/north", "link/../.."), (".", "link/content/las")])
def test_out_through_a_symlink_to_the_content_is_refused(mini: Path, link_to: str, inside: str) -> None:
    project = mini.parent
    (project / "link").symlink_to((project / link_to).resolve(), target_is_directory=True)
    refused(project, "--la", "north", "--out", "link")
    refused(project, "--la", "north", "--out", inside)


def test_out_inside_a_symlinked_content_folder_is_refused(tmp_path: Path, mini: Path) -> None:
    # the content is reached through a symlink, the --out by its real path
    real = tmp_path / "real-content"
    mini.rename(real)
    (tmp_path / "content").symlink_to(real, target_is_directory=True)
    refused(tmp_path, "--la", "north", "--out", "real-content/site")


@pytest.mark.parametrize("out", [".cache", ".cache/charts", "private", "private/site", "secrets", "secrets/site"])
def test_out_in_the_cache_or_a_register_folder_is_refused(mini: Path, out: str) -> None:
    project = mini.parent
    project_md = mini / "project.md"
    project_md.write_text(project_md.read_text().replace("fictional: true", "fictional: true\n"
                                                          "identifier_register: secrets/ids.txt"))
    (project / "secrets").mkdir()
    (project / "secrets/ids.txt").write_text("Zebedee Quuxley\n")
    (project / "private").mkdir()
    (project / "private/identifiers.txt").write_text("Ottoline Vantablack\n")
    (project / ".cache/charts").mkdir(parents=True)
    (project / ".cache/charts/keep.svg").write_text("<svg/>")
    refused(project, "--la", "north", "--out", out)


# --- 2. --out may not be a file, lie under a file, or hold someone else's files ---------------------------------

def test_out_an_existing_file_is_refused(mini: Path) -> None:
    (mini.parent / "report.pdf").write_bytes(b"%PDF- not ours")
    assert "is a file" in refused(mini.parent, "--la", "north", "--out", "report.pdf")


@pytest.mark.parametrize("out", ["report.pdf/site", "report.pdf/a/b/c"])
def test_out_under_a_file_is_refused(mini: Path, out: str) -> None:
    (mini.parent / "report.pdf").write_bytes(b"%PDF- not ours")
    assert "is a file" in refused(mini.parent, "--la", "north", "--out", out)


def test_out_a_symlink_to_a_file_is_refused(mini: Path) -> None:
    (mini.parent / "notes.txt").write_text("my notes")
    (mini.parent / "out").symlink_to(mini.parent / "notes.txt")
    refused(mini.parent, "--la", "north", "--out", "out")


@pytest.mark.parametrize("files", [{"notes.txt": "my own notes"}, {".hidden": "x"}, {"deep/er/notes.md": "x"},
                                   {"build-report.json": "{}"}, {"build-report.json": "not json"},
                                   {"build-report.json": '{"tool": {"name": "someone-else"}}'}])
def test_out_a_folder_of_someone_elses_files_is_refused(mini: Path, files: dict[str, str]) -> None:
    folder = mini.parent / "mine"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    assert "did not make" in refused(mini.parent, "--la", "north", "--out", "mine")


def test_out_a_folder_holding_only_an_empty_folder_is_refused(mini: Path) -> None:
    (mini.parent / "mine" / "drafts").mkdir(parents=True)
    refused(mini.parent, "--la", "north", "--out", "mine")


# --- what is accepted: a new folder, an empty one, an earlier build's -------------------------------------------

def test_out_an_earlier_build_or_an_empty_folder_is_accepted(mini: Path) -> None:
    project = mini.parent
    (project / "empty").mkdir()
    status, _, stderr = run_cli("build", "content", "--la", "north", "--out", "empty", "--quiet", cwd=project)
    assert status == 0, stderr
    for args in (["--out", "site"], ["--out", "site"], ["--la", "north"], ["--la", "south", "--out", "empty"]):
        status, _, stderr = run_cli("build", "content", "--quiet", *args, cwd=project)
        assert status == 0, (args, stderr)
    # the LA build replaced site/la/north inside the full site and carries its own marker
    assert (project / "site/la/north/build-report.json").is_file()
    assert (project / "site/build-report.json").is_file()
    assert sorted(p.name for p in project.iterdir()) == [".cache", "content", "empty", "site"]


# --- 3. every OS error is one line, exit 1, with the previous site untouched ------------------------------------

def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_size_limit_is_one_line_and_keeps_the_previous_site(mini: Path, workers: str) -> None:
    project = mini.parent
    status, _, stderr = run_cli("build", "content", "--out", "site", "--quiet", cwd=project)
    assert status == 0, stderr
    before = tree_digest(project / "site")
    shutil.rmtree(project / ".cache")  # so the charts are drawn (in workers) under the limit too
    result = subprocess.run([sys.executable, "-m", "generator", "build", "content", "--out", "site", "--quiet",
                             "--workers", workers], cwd=project, capture_output=True, text=True, timeout=600,
                            preexec_fn=_limit_file_size)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "File too large" in result.stderr and "ulimit -f" in result.stderr
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_a_path_too_long_is_one_line(mini: Path) -> None:
    status, _, stderr = run_cli("build", "content", "--la", "north", "--out", "x" * 300, "--quiet", cwd=mini.parent)
    assert status == 1
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "File name too long" in stderr and "shorter" in stderr


def test_a_folder_the_build_may_not_write_in_is_one_line(mini: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores file permissions, so write where no one may: sysfs refuses new folders even to root
        if not Path("/sys/kernel").is_dir():
            pytest.skip("needs /sys (Linux) when running as root")
        out = "/sys/generator-test-site"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        out = str(locked / "site")
    status, _, stderr = run_cli("build", "content", "--la", "north", "--out", out, "--quiet", cwd=mini.parent)
    assert status == 1
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "permission" in stderr.lower() or "not permitted" in stderr.lower()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO])
def test_a_failing_disk_during_the_build_is_one_line(mini: Path, tmp_path: Path, code: int, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from generator.cli import main

    out = tmp_path / "site"
    assert main(["build", str(mini), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    before = tree_digest(out)
    capsys.readouterr()
    summary = mini / "las/north/oakfield-S1.md"  # a change, so the second build builds (an unchanged one would not)
    summary.write_text(summary.read_text().replace("Caseloads are high", "Caseloads are very high"))
    real_write = Path.write_text

    def failing_write(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "build-report.json":  # the last file the build writes before publishing
            raise OSError(code, os.strerror(code), str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing_write)
    assert main(["build", str(mini), "--out", str(out), "--quiet", "--workers", "1"]) == 1
    stderr = capsys.readouterr().err
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert os.strerror(code) in stderr and "build-report.json" in stderr
    assert "the previous site was left as it was" in stderr
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_serve_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    status, _, stderr = run_cli("serve", str(tmp_path / "nowhere"))
    assert status != 0
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "nowhere" in stderr


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    (tmp_path / "index.html").write_text("<p>site</p>")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        status, _, stderr = run_cli("serve", str(tmp_path), "--port", port)
    assert status == 1
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "--port" in stderr


@pytest.mark.parametrize("content", ["nowhere", "x" * 300, "report.pdf"])
def test_check_on_a_missing_or_odd_folder_is_one_problem(tmp_path: Path, content: str) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-")
    status, _, stderr = run_cli("check", content, cwd=tmp_path)
    assert status == 1
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 2  # the problem, and the summary line


# --- 4. kill -9 of a build leaves no worker running, and the previous site whole --------------------------------

def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for child in children.read_text().split():
                found |= {int(child)} | _descendants(int(child))
        except OSError:
            continue  # the task ended while we looked
    return found


def _running(pid: int) -> bool:
    """True if ``pid`` is a live process (a zombie waiting for init to reap it counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _kill_when_workers_run(content: Path, out: Path) -> set[int]:
    """Start a build, wait for its worker processes, kill -9 the build alone; return the workers' pids."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", str(content), "--out", str(out),
                                "--quiet", "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        workers = _descendants(process.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the build never started its worker processes"
    process.send_signal(signal.SIGKILL)  # the build only: its workers get no signal of ours
    process.wait(timeout=30)
    return workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the kernel's parent-death signal is Linux's")
def test_kill_9_of_the_build_leaves_no_worker_and_the_previous_site_whole(demo_copy: Path, tmp_path: Path) -> None:
    from ..conftest import FIXTURES

    mini = tmp_path / "mini" / "content"
    shutil.copytree(FIXTURES / "mini", mini)
    out = tmp_path / "site"
    status, _, stderr = run_cli("build", str(mini), "--out", str(out), "--quiet", "--workers", "2")
    assert status == 0, stderr
    before = tree_digest(out)
    summary = mini / "las/north/oakfield-S1.md"
    summary.write_text(summary.read_text().replace("Caseloads are high", "Caseloads are very high"))
    # the small study's one chart is cached, so its first workers are MkDocs's; the demo has never been
    # built here, so its first workers draw its charts
    for stage, content in (("mkdocs", mini), ("charts", demo_copy)):
        workers = _kill_when_workers_run(content, out)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_running(pid) for pid in workers):
            time.sleep(0.05)
        left = [pid for pid in workers if _running(pid)]
        for pid in left:  # tidy up before failing, so no test leaves processes behind
            os.kill(pid, signal.SIGKILL)
        assert left == [], f"{stage}: workers still running after kill -9 of the build"
        assert tree_digest(out) == before, stage
