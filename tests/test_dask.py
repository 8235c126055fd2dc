"""`build --scheduler`: each site's MkDocs build runs on the workers of a Dask cluster, with the same result."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from tests.test_build import tree_digest


def test_a_build_through_a_dask_local_cluster_equals_a_local_build(mini: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert build(mini, out=tmp_path / "dask", quiet=True, scheduler=cluster.scheduler_address) == 0
        ran = {name for name in cluster.scheduler.task_prefixes}  # what the cluster's workers were given
    assert "build_site" in ran
    assert build(mini, out=tmp_path / "local", quiet=True) == 0
    assert tree_digest(tmp_path / "dask") == tree_digest(tmp_path / "local")


def test_an_unreachable_scheduler_is_one_line(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    from generator.cli import main

    assert main(["build", str(mini), "--out", str(tmp_path / "s"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler" in err and "Traceback" not in err
    assert not (tmp_path / "s").exists()
