"""The package as a user installs it: a wheel, in a fresh environment, far from this repository.

The wheel must carry everything a build reads (templates, the base mkdocs.yml,
the theme overrides and the bundled assets); a checkout that happens to sit
beside the package must not be what makes it work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def clean_tree(target: Path) -> Path:
    """The repository's files as a fresh clone has them (no egg-info, caches or built sites to lean on)."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_the_wheel_installs_and_builds_a_study_outside_the_repository(tmp_path: Path) -> None:
    tree = clean_tree(tmp_path / "tree")
    run(sys.executable, "-m", "pip", "wheel", tree, "--no-deps", "--quiet", "-w", tmp_path / "dist", cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("generator-*.whl"))

    # A fresh environment with the wheel, seeing this one's installed dependencies through a .pth line
    # (which adds the folder to the path but runs none of its own .pth files, so not our editable install).
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                             cwd=tmp_path).stdout.strip())
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=tmp_path)

    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the wheel's copy, not this checkout

    run(venv / "bin" / "generator", "new", "study", cwd=tmp_path, env=env)
    study = tmp_path / "study"
    assert (study / ".gitignore").is_file() and (study / ".github" / "workflows" / "sites.yml").is_file()
    run(venv / "bin" / "generator", "check", "content", cwd=study, env=env)
    run(venv / "bin" / "generator", "build", "content", "--out", "site", "--quiet", cwd=study, env=env)
    page = (study / "site" / "la" / "my-la" / "coding-frame.html").read_text(encoding="utf-8")
    assert "Referral routes" in page and "assets/generator.css" in page
    assert (study / "site" / "la" / "my-la" / "assets" / "generator.css").is_file()
    assert (study / "site" / "index.html").is_file()
    # the wheel's `new` has no demo to copy, and says so in one line
    done = subprocess.run([str(venv / "bin" / "generator"), "new", "demo", "--example"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "comes with the source repository" in done.stderr and "Traceback" not in done.stderr
