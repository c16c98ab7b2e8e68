"""How an index folder is recognised, and which folders a new index may be made in
(cqa_core/index_folder.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqa_core.errors import IndexFolderError
from cqa_core.index_folder import check_new_index_folder, is_index


@pytest.mark.parametrize(
    ("names", "index"),
    [
        ([], False),  # an empty folder: nothing written yet
        (["meta.sqlite"], True),  # a first ingest stopped after opening the database
        (["write.lock"], True),  # ... or before it
        (["write.lock", "meta.sqlite-wal", "meta.sqlite-shm"], True),
        (["write.lock", "meta.sqlite", "dense-1.faiss", "lexical/"], True),  # a finished one
        (["write.lock", "notes.txt"], False),  # a lock file among the user's own
        (["notes.txt", "papers/"], False),
    ],
)
def test_an_index_is_what_its_writer_leaves(tmp_path: Path, names: list[str], index: bool) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    for name in names:
        if name.endswith("/"):
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(b"")
    assert is_index(folder) is index
    assert not is_index(tmp_path / "missing")


def test_a_new_index_goes_only_in_an_empty_or_new_folder_or_an_index(tmp_path: Path) -> None:
    check_new_index_folder(tmp_path / "new")  # not made yet
    (tmp_path / "empty").mkdir()
    check_new_index_folder(tmp_path / "empty")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "write.lock").write_bytes(b"")
    check_new_index_folder(tmp_path / "half")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".bashrc").write_text("x")
    with pytest.raises(IndexFolderError) as caught:
        check_new_index_folder(tmp_path / "home")
    assert str(caught.value) == (
        f"{tmp_path / 'home'} is not empty and is not an index: "
        "choose an empty or new folder for the index (--index or CQA_INDEX)"
    )
