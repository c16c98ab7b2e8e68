"""The ``cqa`` command line: ingest, ask, serve, remove, list, stats, eval, doctor."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from cqa_core.errors import CQAError
from qa_service.cli_errors import check_port, validation_message
from qa_service.config import Settings, writes_enabled
from qa_service.terminal import clean

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns domain errors into one-line messages and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CQAError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            raise click.ClickException(validation_message(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted; the index is as it was at the last commit", err=True)
            sys.exit(130)


def index_option(func: F) -> F:
    """``--index DIR`` (default: $CQA_INDEX, else .cqa-index in the project)."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index folder (default: $CQA_INDEX, else .cqa-index in the project).",
    )(func)


def _settings(index_dir: Path | None) -> Settings:
    settings = Settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index": index_dir.expanduser().resolve()})
    return settings


def _engine(settings: Settings) -> Any:
    from qa_service.retriever import Engine
    from qa_service.runtime import index_exists, make_query_embedder

    if not index_exists(settings):
        from cqa_core.errors import IndexMissingError

        raise IndexMissingError(
            f"no index at {settings.index}: run 'cqa ingest PATH' first "
            "(or set CQA_INDEX / --index to another folder)"
        )
    return Engine(settings.index, make_query_embedder(settings), settings)


@click.group(cls=_Group)
@click.version_option(package_name="committee-papers-qa")
def main() -> None:
    """Committee Papers QA: cited answers from council committee papers."""
    # pypdf warns on stderr about each repair it tries ("EOF marker not found"); the
    # ingest summary already gives one line per bad file, naming it and saying why.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit non-zero if any file failed.")
@click.option("--timings", is_flag=True, help="Also print the seconds spent in each stage.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (with timings).")
@click.option(
    "--council",
    default=None,
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

    settings = _settings(index_dir)
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
    if as_json:
        click.echo(json.dumps(_summary_json(summary)))
    else:
        copies = f", {len(summary.duplicates)} duplicate" if summary.duplicates else ""
        click.echo(
            f"files: {len(summary.added)} added, {len(summary.updated)} updated, "
            f"{len(summary.unchanged)} unchanged{copies}, {len(summary.failed)} failed, "
            f"{len(summary.skipped)} skipped; "
            f"passages: {summary.passages_added} new, {summary.passages_total} in the index "
            f"({summary.documents_total} documents) in {summary.seconds:.1f}s"
        )
        if timings:
            click.echo(summary.times.describe(summary.seconds))
    if strict and summary.failed:
        sys.exit(1)


def _summary_json(summary: Any) -> dict[str, Any]:
    """The ingest summary as ``cqa ingest --json`` prints it."""
    return {
        "added": len(summary.added),
        "updated": len(summary.updated),
        "unchanged": len(summary.unchanged),
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


@main.command()
@click.argument("question")
@click.option("--top-k", default=5, show_default=True, type=int, help="How many passages.")
@click.option("--council", multiple=True, help="Only this council (repeatable).")
@click.option("--committee", default=None, help="Only this committee.")
@click.option("--date-from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--date-to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--doc-type", default=None, help="e.g. minutes, report.")
@click.option(
    "--kind",
    type=click.Choice(["any", "decision"]),
    default="any",
    show_default=True,
    help="decision: only passages holding a resolution or recommendation.",
)
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option(
    "--infer/--no-infer",
    default=True,
    show_default=True,
    help="Read a council or year named in the question as a filter.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the API's response body.")
@index_option
def ask(
    question: str,
    top_k: int,
    council: tuple[str, ...],
    committee: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    doc_type: str | None,
    kind: str,
    sort: str,
    infer: bool,
    as_json: bool,
    index_dir: Path | None,
) -> None:
    """Print the cited passages that answer QUESTION."""
    from qa_service.presenters import answer_request
    from qa_service.request_limits import applying
    from qa_service.schemas.asking import AskRequest
    from qa_service.schemas.filters import FiltersIn

    settings = _settings(index_dir)
    with applying(settings):  # the same limits as the API: CQA_MAX_QUESTION_CHARS, _TOP_K
        body = AskRequest(
            question=question,
            top_k=top_k,
            sort=sort,  # type: ignore[arg-type]
            infer_filters=infer,
            filters=FiltersIn(
                council=list(council) or None,
                committee=committee,  # type: ignore[arg-type]
                doc_type=doc_type,  # type: ignore[arg-type]
                date_from=date_from.date() if date_from else None,
                date_to=date_to.date() if date_to else None,
                kind=kind,  # type: ignore[arg-type]
            ),
        )
    engine = _engine(settings)
    response = answer_request(engine, body)
    if as_json:
        click.echo(response.model_dump_json(indent=2))
        return
    for note in response.notes:
        click.echo(f"Note: {note}")
    if response.answer_state == "weak_match":
        click.echo("Weak match: these passages may answer it; read them with care.\n")
    elif not response.answered:
        click.echo("The papers don't answer this with confidence; the nearest passages:\n")
    for p in response.passages:
        c = p.citation
        where = " · ".join(
            clean(x, one_line=True)
            for x in (
                c.council or "council unknown",
                c.committee,
                c.meeting_date,
                c.title or c.source,
                c.source if c.title else None,
                f"page {c.page}" if c.page else None,
            )
            if x
        )
        click.secho(f"{p.rank}. [{p.score:.3f}] {where}", bold=True)
        # each piece is cleaned on its own, so the highlight offsets still hold
        text, at = "", 0
        for h in sorted(p.highlights, key=lambda h: h.start):
            if h.start < at:
                continue
            text += clean(p.text[at : h.start])
            text += click.style(clean(p.text[h.start : h.end]), fg="yellow")
            at = h.end
        text += clean(p.text[at:])
        click.echo(f"   {c.document_id} chars {c.char_start}-{c.char_end}")
        click.echo("   " + text.replace("\n", "\n   ") + "\n")


@main.command()
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
    from indexing.run import build_if_missing
    from qa_service.api.main import create_app
    from qa_service.api.server import run
    from qa_service.ingest_progress import IngestDisplay
    from qa_service.runtime import index_exists, limits, make_embedder

    # before the index is built and before "serving on": a busy port fails in one line
    if (problem := check_port(host, port)) is not None:
        raise click.ClickException(problem)
    settings = _settings(index_dir)
    if corpus is not None:
        settings = settings.model_copy(update={"corpus": corpus})
    # The model itself is loaded only to build a first index; questions use the ONNX export.
    embedder = None if index_exists(settings) else make_embedder(settings)
    with IngestDisplay() as display:
        summary = (
            build_if_missing(settings.index, settings.corpus, embedder, limits(settings), display)
            if embedder is not None
            else None
        )
    if summary is not None:
        click.echo(
            f"built the index at {settings.index}: {summary.documents_total} documents, "
            f"{summary.passages_total} passages",
            err=True,
        )
    if settings.embedder == "hashing":
        click.echo(
            "CQA_EMBEDDER=hashing: a fake model for tests; answers match words only.", err=True
        )
    if not writes_enabled(settings):
        click.echo("CQA_ADMIN_TOKEN is not set: uploads and deletions are refused.", err=True)
    click.echo(f"serving on http://{host}:{port}/ (API docs at /docs)", err=True)
    app = create_app(settings, ingest_embedder=embedder)
    run(app, host, port, settings)  # with the slow-client limits (qa_service/api/server.py)


@main.command()
@click.argument("document_id")
@index_option
def remove(document_id: str, index_dir: Path | None) -> None:
    """Remove a document and its passages."""
    from indexing.writer import IndexWriter
    from qa_service.runtime import index_exists, limits, make_query_embedder

    settings = _settings(index_dir)
    if not index_exists(settings):
        from cqa_core.errors import IndexMissingError

        raise IndexMissingError(f"no index at {settings.index}")
    # Removing embeds nothing; the light question encoder names the same model.
    writer = IndexWriter(settings.index, make_query_embedder(settings), limits(settings))
    with writer.open():
        source = writer.remove(document_id)
    click.echo(f"removed {document_id} ({clean(source, one_line=True)})")


@main.command()
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
    from qa_service.runtime import index_exists

    settings = _settings(index_dir)
    if not index_exists(settings):
        raise IndexMissingError(f"no index at {settings.index}")
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
        f"orphan uploads: {len(report.removed)} removed ({report.freed_bytes} bytes), "
        f"{len(report.recent)} left"
    )


@main.command("list")
@click.option("--json", "as_json", is_flag=True)
@index_option
def list_(as_json: bool, index_dir: Path | None) -> None:
    """List documents with their metadata."""
    from index.store import Store
    from qa_service.presenters import document_out

    store = Store.open(_settings(index_dir).index)
    docs = [document_out(d) for d in store.list_documents()]
    if as_json:
        click.echo(json.dumps([d.model_dump() for d in docs], indent=2))
        return
    for d in docs:
        facts = " · ".join(
            clean(x, one_line=True)
            for x in (d.council, d.committee, d.meeting_date, d.doc_type)
            if x
        )
        note = f" (superseded by {d.superseded_by})" if d.superseded_by else ""
        source = clean(d.source, one_line=True)
        click.echo(f"{d.document_id}  {source}  [{d.passages} passages]{note}")
        click.echo(f"    {facts or 'no metadata'}")
        if d.title:
            click.echo(f"    {clean(d.title, one_line=True)}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@index_option
def stats(as_json: bool, index_dir: Path | None) -> None:
    """Counts and index facts."""
    from dataclasses import asdict

    from index.store import Store

    settings = _settings(index_dir)
    facts = asdict(Store.open(settings.index).stats())
    facts["index"] = str(settings.index)
    if as_json:
        click.echo(json.dumps(facts, indent=2))
        return
    click.echo(f"index:      {facts['index']}")
    click.echo(f"documents:  {facts['documents']}")
    click.echo(f"passages:   {facts['passages']}")
    click.echo(f"model:      {clean(facts['model'], one_line=True)} ({facts['dim']} dimensions)")
    click.echo(f"generation: {facts['generation']}")
    for label, key in (("councils", "councils"), ("doc types", "doc_types")):
        click.echo(f"{label}:")
        for name, count in facts[key].items():
            click.echo(f"    {count:4d}  {clean(name, one_line=True)}")


@main.command("eval")
@click.argument("sets", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--as-typed",
    is_flag=True,
    help="Ignore the questions' labelled filters: only what is read from their words applies.",
)
@click.option(
    "--index-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where a set folder's own index is built and kept (default: .cqa-eval/ beside the index).",
)
@index_option
def eval_(
    sets: tuple[Path, ...],
    as_json: bool,
    as_typed: bool,
    index_root: Path | None,
    index_dir: Path | None,
) -> None:
    """Score labelled question sets: a questions file (against the index) or a set folder
    (questions.jsonl beside corpus/, against that corpus's own index)."""
    # Evaluation is not served code: imported here only, so `cqa serve` never loads it.
    from evaluation.runner import EvalSet, eval_set, evaluate_sets

    settings = _settings(index_dir)
    root = (index_root or settings.index.parent / ".cqa-eval").expanduser().resolve()

    def engine_for(s: EvalSet) -> Any:
        if s.corpus is None:
            return _engine(settings)
        from indexing.writer import IndexWriter
        from qa_service.runtime import limits, make_embedder

        own = settings.model_copy(update={"index": root / s.name})
        writer = IndexWriter(own.index, make_embedder(own, lazy=True), limits(own))
        with writer.open():
            writer.ingest([s.corpus])
        return _engine(own)

    report_text, report_json = evaluate_sets(
        [eval_set(p) for p in sets], engine_for, label_filters=not as_typed
    )
    click.echo(json.dumps(report_json, indent=2) if as_json else clean(report_text))


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["opensearch"]),
    required=True,
    help="opensearch: an index mapping (knn_vector) and a bulk NDJSON of every passage.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write the files into.",
)
@click.option("--name", default="committee-papers", show_default=True, help="Index name.")
@index_option
def export(fmt: str, out: Path, name: str, index_dir: Path | None) -> None:
    """Export the index for another search engine (OpenSearch's k-NN plugin)."""
    from cqa_core.errors import IndexMissingError
    from index.opensearch_export import export as to_opensearch
    from index.opensearch_export import valid_name
    from index.store import Store
    from qa_service.runtime import index_exists

    if not valid_name(name):
        raise click.BadParameter(
            "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
            param_hint="'--name'",
        )
    settings = _settings(index_dir)
    if not index_exists(settings):
        raise IndexMissingError(f"no index at {settings.index}: run 'cqa ingest PATH' first")
    store = Store.open(settings.index)
    try:
        mapping_path, bulk_path, count = to_opensearch(store, out, name)
    finally:
        store.close()
    click.echo(f"{fmt}: {count} passages; mapping {mapping_path}, bulk {bulk_path}")
