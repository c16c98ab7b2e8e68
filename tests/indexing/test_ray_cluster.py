"""``--ray-address``: the Ray ingest joins a running cluster of two raylets on this machine.

``ray.cluster_utils.Cluster`` starts a head node and a second node as real Ray processes
(two raylets, like two machines sharing a filesystem); the ingest connects by address, as
``cqa ingest --engine ray --ray-address HEAD`` does after ``ray start --head``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from tests.conftest import build_index
from tests.indexing.test_ray_ingest import DEV_SETS, HASHING, assert_same

ray = pytest.importorskip("ray", reason='Ray is the [scale] extra: pip install -e ".[scale]"')
cluster_utils = pytest.importorskip("ray.cluster_utils")

from indexing.ray_ingest import ingest_with_ray  # noqa: E402


@pytest.fixture
def two_node_cluster() -> Any:
    """A head node and one more, 2 CPUs each; nothing connected to it yet."""
    if ray.is_initialized():
        ray.shutdown()
    cluster = cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 2})
    cluster.add_node(num_cpus=2)
    cluster.wait_for_nodes()
    yield cluster
    if ray.is_initialized():
        ray.shutdown()
    cluster.shutdown()


def test_ingest_on_a_cluster_by_address_equals_a_plain_ingest(
    two_node_cluster: Any, tmp_path: Path
) -> None:
    corpus = DEV_SETS[1]
    writer = IndexWriter(tmp_path / "ray", HashingEmbedder())
    with writer.open():
        summary = ingest_with_ray(
            writer, [corpus], HASHING, tmp_path / "shards", 2, two_node_cluster.address
        )
    assert summary.added and not summary.failed
    assert not ray.is_initialized()  # the command disconnects; the cluster runs on
    plain = build_index(tmp_path / "plain", [corpus], HashingEmbedder())
    assert_same(plain, tmp_path / "ray")
