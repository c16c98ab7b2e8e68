"""The ``cqa`` commands that build and keep the index: ingest, serve, remove, doctor."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from cqa_core.text import counted
from qa_service.cli_common import Text, index_option, load_settings
from qa_service.cli_errors import check_port
from qa_service.config import writes_enabled
from qa_service.terminal import clean


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit non-zero if any file failed.")
@click.option("--timings", is_flag=True, help="Also print the seconds spent in each stage.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (with timings).")
@click.option(
    "--council",
    default=None,
    type=Text(),
    help="The council of every file whose manifest.csv gives none (e.g. a folder without one).",
)
@click.option(
    "--engine",
    type=click.Choice(["plain", "ray"]),
    default="plain",
    help="ray: load, cut and embed on Ray (the [scale] extra), then commit here.",
)
@click.option("--ray-address", default=None, help="With --engine ray: a Ray cluster to join.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="With --engine ray: embedding actors (one model and one core each).",
)
@click.option(
    "--shards",
    "shards_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --engine ray: where the Parquet shards go (default: INDEX/ray-shards).",
)
@index_option
def ingest(
    paths: tuple[Path, ...],
    strict: bool,
    timings: bool,
    as_json: bool,
    council: str | None,
    engine: str,
    ray_address: str | None,
    workers: int,
    shards_dir: Path | None,
    index_dir: Path | None,
) -> None:
    """Ingest files and folders (recursively) into the index."""
    if council is not None and not council.strip():
        raise click.BadParameter("give the council's name", param_hint="'--council'")
    from indexing.writer import IndexWriter
    from qa_service.ingest_progress import IngestDisplay
    from qa_service.runtime import limits, make_embedder

    # before the writer opens: a mistyped path must not leave an empty index behind (a
    # broken or looping link exists, and is reported as skipped by the ingest itself)
    for path in paths:
        if not os.path.lexists(path):
            raise click.ClickException(f"{clean(str(path), one_line=True)}: no such file or folder")
    settings = load_settings(index_dir)
    # lazy: an unchanged folder needs no model, so re-ingesting it skips the ~10 s load
    embedder = make_embedder(settings, lazy=True)
    writer = IndexWriter(settings.index, embedder, limits(settings), settings.commit_every)
    if engine == "ray":
        from indexing.ray_ingest import EmbedderSpec, ingest_with_ray

        model = str(settings.model_path) if settings.model_path else None
        with writer.open():
            summary = ingest_with_ray(
                writer,
                list(paths),
                EmbedderSpec(settings.embedder, model),
                shards_dir or settings.index / "ray-shards",
                workers,
                ray_address,
                council.strip() if council else None,
                on_line=lambda line: click.echo(line, err=True),
            )
    else:
        with writer.open(), IngestDisplay() as display:
            summary = writer.ingest(list(paths), display, council.strip() if council else None)
    if summary.recut:  # why every file counts as changed
        click.echo(summary.recut, err=True)
    if left := summary.old_cuts.message():  # files this run was not given
        click.echo(clean(left, one_line=True), err=True)
    _report_files(summary)
    if as_json:
        click.echo(json.dumps(_summary_json(summary)))
    else:
        copies = f", {len(summary.duplicates)} duplicate" if summary.duplicates else ""
        click.echo(
            f"files: {len(summary.added)} added, {len(summary.updated)} updated, "
            f"{len(summary.unchanged)} unchanged{copies}, {len(summary.failed)} failed, "
            f"{len(summary.skipped)} skipped; "
            f"passages: {summary.passages_added} new, {summary.passages_total} in the index "
            f"({counted(summary.documents_total, 'document')}) in {summary.seconds:.1f}s"
        )
        if timings:
            click.echo(summary.times.describe(summary.seconds))
    if strict and summary.failed:
        sys.exit(1)


def _report_files(summary: Any) -> None:
    """One stderr line for each warning, skipped, failed or duplicate file of an ingest."""
    # file names, manifest values and reasons quoting them may hold escape sequences
    for warning in summary.warnings:
        click.echo(f"warning: {clean(warning, one_line=True)}", err=True)
    for source, reason in summary.skipped:
        click.echo(f"skipped: {clean(f'{source}: {reason}', one_line=True)}", err=True)
    for source, reason in summary.failed:
        click.echo(f"failed: {clean(f'{source}: {reason}', one_line=True)}", err=True)
    for source, document_id, held_by in summary.duplicates:
        click.echo(
            clean(
                f"duplicate: {source} has the same bytes as {held_by} (document {document_id}); "
                "not added again",
                one_line=True,
            ),
            err=True,
        )


def _summary_json(summary: Any) -> dict[str, Any]:
    """The ingest summary as ``cqa ingest --json`` prints it."""
    return {
        "added": len(summary.added),
        "updated": len(summary.updated),
        "unchanged": len(summary.unchanged),
        "recut": summary.recut or None,
        "old_cuts": summary.old_cuts.documents,  # documents still cut by older rules
        "failed": [{"source": s, "reason": r} for s, r in summary.failed],
        "skipped": [{"source": s, "reason": r} for s, r in summary.skipped],
        "duplicates": [
            {"source": s, "document_id": d, "same_as": held_by}
            for s, d, held_by in summary.duplicates
        ],
        "passages_added": summary.passages_added,
        "passages_total": summary.passages_total,
        "documents_total": summary.documents_total,
        "passages_embedded": summary.embedded,
        "sentences_added": summary.sentences_added,
        "sentences_embedded": summary.sentences_embedded,
        "seconds": round(summary.seconds, 3),
        "timings": summary.times.as_dict(),
    }


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Folder to ingest first when there is no index yet (default: the bundled corpus).",
)
@index_option
def serve(host: str, port: int, corpus: Path | None, index_dir: Path | None) -> None:
    """Start the HTTP service (API, docs at /docs, web form at /)."""
    from cqa_core.index_folder import check_new_index_folder
    from indexing.run import build_if_missing
    from qa_service.api.main import create_app
    from qa_service.api.server import run
    from qa_service.ingest_progress import IngestDisplay
    from qa_service.runtime import index_exists, limits, make_embedder

    # before the index is built and before "serving on": a busy port fails in one line
    if (problem := check_port(host, port)) is not None:
        raise click.ClickException(problem)
    settings = load_settings(index_dir)
    if corpus is not None:
        settings = settings.model_copy(update={"corpus": corpus})
    # before the model loads for a first build: a folder of other files is refused at once
    check_new_index_folder(settings.index)
    # The model itself is loaded only to build a first index; questions use the ONNX export.
    embedder = None if index_exists(settings) else make_embedder(settings)
    with IngestDisplay() as display:
        summary = (
            build_if_missing(settings.index, settings.corpus, embedder, limits(settings), display)
            if embedder is not None
            else None
        )
    if summary is not None:
        _report_files(summary)  # a corpus of unreadable or unsupported files says why
        click.echo(
            f"built the index at {settings.index}: "
            f"{counted(summary.documents_total, 'document')}, "
            f"{counted(summary.passages_total, 'passage')}",
            err=True,
        )
        if not summary.documents_total:
            # the empty index stays, so the next serve will not ingest the corpus again
            where = clean(str(settings.corpus), one_line=True)
            click.echo(
                f"warning: {where} held no paper to index, so nothing can be answered: "
                f"add papers with 'cqa ingest PATH --index {settings.index}' "
                "(the server picks them up) or upload them",
                err=True,
            )
    else:
        # A corrupt store, or a first ingest that never finished, fails here in one line,
        # not as a traceback from the app's start-up after "serving on".
        from index.store import Store

        Store.open(settings.index).close()
    if settings.embedder == "hashing":
        click.echo(
            "CQA_EMBEDDER=hashing: a fake model for tests; answers match words only.", err=True
        )
    if not writes_enabled(settings):
        click.echo("CQA_ADMIN_TOKEN is not set: uploads and deletions are refused.", err=True)
    click.echo(f"serving on http://{host}:{port}/ (API docs at /docs)", err=True)
    app = create_app(settings, ingest_embedder=embedder)
    run(app, host, port, settings)  # with the slow-client limits (qa_service/api/server.py)


@click.command()
@click.argument("document_id", type=Text())
@index_option
def remove(document_id: str, index_dir: Path | None) -> None:
    """Remove a document and its passages."""
    from indexing.writer import IndexWriter
    from qa_service.runtime import index_exists, limits, make_query_embedder

    settings = load_settings(index_dir)
    if not index_exists(settings):
        from cqa_core.errors import IndexMissingError

        raise IndexMissingError(f"no index at {settings.index}")
    # Removing embeds nothing; the light question encoder names the same model.
    writer = IndexWriter(settings.index, make_query_embedder(settings), limits(settings))
    with writer.open():
        source = writer.remove(document_id)
    click.echo(f"removed {document_id} ({clean(source, one_line=True)})")


@click.command()
@click.option(
    "--min-age",
    default=900.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Leave orphan uploads written to less than this many seconds ago (one may still "
    "be arriving).",
)
@index_option
def doctor(min_age: float, index_dir: Path | None) -> None:
    """Check the index: remove uploads that no committed document holds."""
    from cqa_core.errors import IndexBusyError, IndexMissingError
    from index.orphans import remove_orphan_uploads
    from index.store import Store
    from qa_service.runtime import index_exists

    settings = load_settings(index_dir)
    if not index_exists(settings):
        raise IndexMissingError(f"no index at {settings.index}")
    # a first ingest that never finished (a database without its schema) or a corrupt store
    # is said as ask, list and stats say it, not passed as clean because no upload was checked
    Store.open(settings.index).close()
    report = remove_orphan_uploads(settings.index, min_age)
    if report.busy:
        raise IndexBusyError(
            f"another process is writing to the index at {settings.index}; "
            "run 'cqa doctor' again when it has finished"
        )
    for name in report.removed:
        click.echo(f"removed: uploads/{name} (no document holds it)")
    for name in report.recent:
        click.echo(f"left: uploads/{name} (no document yet; written in the last {min_age:g} s)")
    click.echo(
        f"orphan uploads: {len(report.removed)} removed ({counted(report.freed_bytes, 'byte')}), "
        f"{len(report.recent)} left"
    )
