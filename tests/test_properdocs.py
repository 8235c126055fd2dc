"""The migration path off MkDocs 1.x: ProperDocs (the community fork) builds the pages the tool writes, unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from generator.build import base_config, render_sites, resolve_sites
from generator.pipeline import load_and_validate
from generator.site import make_nav, write_docs
from tests.conftest import FIXTURES


def test_properdocs_builds_a_generated_site(tmp_path: Path) -> None:
    content = FIXTURES / "mini"
    study, _ = load_and_validate(content)
    site = render_sites(resolve_sites(study, None))[0]
    write_docs(site.pages, tmp_path / "docs")
    config = tmp_path / "properdocs.yml"
    config.write_text(yaml.safe_dump({
        "INHERIT": str(base_config(content).resolve()), "site_name": site.name, "docs_dir": str(tmp_path / "docs"),
        "site_dir": str(tmp_path / "site"), "nav": make_nav(site.pages)}), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    matrix = (tmp_path / "site" / "matrix.html").read_text(encoding="utf-8")
    assert 'class="md-content"' in matrix and "gen-matrix" in matrix  # Material's page, the tool's content
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
