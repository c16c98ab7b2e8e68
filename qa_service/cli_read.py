"""The ``cqa`` commands that read the index: ask, list, stats, eval, export."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from cqa_core.text import counted
from qa_service.cli_common import IsoDate, index_option, load_settings, open_engine
from qa_service.terminal import clean


@click.command()
@click.argument("question")
@click.option(
    "--top-k", type=int, help="How many passages.  [default: 5, or CQA_MAX_TOP_K if lower]"
)
@click.option("--council", multiple=True, help="Only this council (repeatable).")
@click.option("--committee", default=None, help="Only this committee.")
@click.option("--date-from", type=IsoDate(), default=None, help="Meetings on or after.")
@click.option("--date-to", type=IsoDate(), default=None, help="Meetings on or before.")
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
    top_k: int | None,
    council: tuple[str, ...],
    committee: str | None,
    date_from: date | None,
    date_to: date | None,
    doc_type: str | None,
    kind: str,
    sort: str,
    infer: bool,
    as_json: bool,
    index_dir: Path | None,
) -> None:
    """Print the cited passages that answer QUESTION."""
    from qa_service.presenters import answer_request, to_filters, unheld_filter_notes
    from qa_service.request_limits import applying
    from qa_service.schemas.asking import AskRequest
    from qa_service.schemas.filters import FiltersIn

    settings = load_settings(index_dir)
    with applying(settings):  # the same limits as the API: CQA_MAX_QUESTION_CHARS, _TOP_K
        body = AskRequest(
            question=question,
            **({} if top_k is None else {"top_k": top_k}),  # left out: the default, cut
            sort=sort,  # type: ignore[arg-type]
            infer_filters=infer,
            filters=FiltersIn(
                council=list(council) or None,
                committee=committee,  # type: ignore[arg-type]
                doc_type=doc_type,  # type: ignore[arg-type]
                date_from=date_from,
                date_to=date_to,
                kind=kind,  # type: ignore[arg-type]
            ),
        )
    engine = open_engine(settings)
    response = answer_request(engine, body)
    if as_json:
        click.echo(response.model_dump_json(indent=2))
        return
    if not response.passages and (unheld := unheld_filter_notes(engine, to_filters(body.filters))):
        # nothing found because a value typed (a misspelt council, "minute" for minutes) is
        # held by no paper: a user error, as an unknown document id is, not an empty answer
        raise click.ClickException(clean(" ".join(unheld), one_line=True))
    for note in response.notes:  # a note may quote a council or committee from a manifest
        click.echo(f"Note: {clean(note, one_line=True)}")
    if not response.passages:
        click.echo("No passage matches these filters.")
    elif response.answer_state == "weak":
        click.echo("Weak match: these passages may answer it; read them with care.\n")
    elif not response.answered:
        click.echo("The papers don't answer this with confidence; the nearest passages:\n")
    coloured = _in_colour()
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
                _pages(c.page, c.highlight_page),
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
            marked = clean(p.text[h.start : h.end])
            text += click.style(marked, fg="yellow") if coloured else f"**{marked}**"
            at = h.end
        text += clean(p.text[at:])
        click.echo(f"   {c.document_id} chars {c.char_start}-{c.char_end}")
        click.echo("   " + text.replace("\n", "\n   ") + "\n")


def _in_colour() -> bool:
    """Whether the highlight can be shown in colour: on a terminal, or when asked (click's
    ``color``).  Elsewhere (a pipe, a file, ``less``) click strips colour, so the answering
    sentence is marked ``**like this**`` instead of vanishing into its passage."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.color is not None:
        return ctx.color
    return sys.stdout.isatty()


def _pages(page: int | None, highlight_page: int | None) -> str | None:
    """The page line: "page 2", or "page 2, highlight on page 3" past a page break."""
    if not page:
        return None
    if highlight_page and highlight_page != page:
        return f"page {page}, highlight on page {highlight_page}"
    return f"page {page}"


@click.command("list")
@click.option("--json", "as_json", is_flag=True)
@index_option
def list_(as_json: bool, index_dir: Path | None) -> None:
    """List documents with their metadata."""
    from index.store import Store
    from qa_service.presenters import document_out

    store = Store.open(load_settings(index_dir).index)
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
        count = counted(d.passages, "passage")
        click.echo(f"{d.document_id}  {source}  [{count}]{note}")
        click.echo(f"    {facts or 'no metadata'}")
        if d.title:
            click.echo(f"    {clean(d.title, one_line=True)}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@index_option
def stats(as_json: bool, index_dir: Path | None) -> None:
    """Counts and index facts."""
    from dataclasses import asdict

    from index.store import Store
    from indexing.cut_rules import INGEST_VERSION_KEY, old_cuts
    from qa_service.runtime import limits

    settings = load_settings(index_dir)
    store = Store.open(settings.index)
    facts = asdict(store.stats())
    facts["index"] = str(settings.index)
    facts["ingest_version"] = store.get_meta(INGEST_VERSION_KEY)
    # documents cut by older ingest rules are served as they are, until an ingest of their
    # files re-cuts them
    old = old_cuts(store, limits(settings))
    facts["old_cuts"] = old.documents
    facts["recut"] = old.message()
    if as_json:
        click.echo(json.dumps(facts, indent=2))
        return
    click.echo(f"index:      {facts['index']}")
    click.echo(f"documents:  {facts['documents']}")
    click.echo(f"passages:   {facts['passages']}")
    click.echo(f"model:      {clean(facts['model'], one_line=True)} ({facts['dim']} dimensions)")
    click.echo(f"generation: {facts['generation']}")
    if facts["recut"]:
        click.echo(f"behind:     {clean(facts['recut'], one_line=True)}")
    for label, key in (("councils", "councils"), ("doc types", "doc_types")):
        click.echo(f"{label}:")
        for name, count in facts[key].items():
            click.echo(f"    {count:4d}  {clean(name, one_line=True)}")


@click.command("eval")
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

    settings = load_settings(index_dir)
    root = (index_root or settings.index.parent / ".cqa-eval").expanduser().resolve()

    def engine_for(s: EvalSet) -> Any:
        if s.corpus is None:
            return open_engine(settings)
        from indexing.writer import IndexWriter
        from qa_service.runtime import limits, make_embedder

        own = settings.model_copy(update={"index": root / s.name})
        writer = IndexWriter(own.index, make_embedder(own, lazy=True), limits(own))
        with writer.open():
            writer.ingest([s.corpus])
        return open_engine(own)

    report_text, report_json = evaluate_sets(
        [eval_set(p) for p in sets], engine_for, label_filters=not as_typed
    )
    click.echo(json.dumps(report_json, indent=2) if as_json else clean(report_text))


@click.command()
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
    default=None,
    help="Folder to write the files into (or give it as DIR).  [default: .]",
)
@click.option("--name", default="committee-papers", show_default=True, help="Index name.")
@click.argument(
    "out_dir", metavar="[DIR]", required=False, type=click.Path(file_okay=False, path_type=Path)
)
@index_option
def export(
    fmt: str, out: Path | None, name: str, out_dir: Path | None, index_dir: Path | None
) -> None:
    """Export the index for another search engine (OpenSearch's k-NN plugin) into DIR.

    \f
    DIR is shared/INTERFACE.md's form, ``cqa export --format opensearch DIR``; ``--out DIR``
    says the same.
    """
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
    if out is not None and out_dir is not None and out != out_dir:
        raise click.UsageError(f"give the folder once: DIR ({out_dir}) or --out ({out})")
    settings = load_settings(index_dir)
    if not index_exists(settings):
        raise IndexMissingError(f"no index at {settings.index}: run 'cqa ingest PATH' first")
    store = Store.open(settings.index)
    try:
        folder = out or out_dir or Path(".")
        mapping_path, bulk_path, count = to_opensearch(store, folder, name)
    except OSError as exc:  # the folder the user chose: under a file, no permission, full
        where = exc.filename or folder
        raise click.ClickException(f"cannot write to {where}: {exc.strerror or exc}") from exc
    finally:
        store.close()
    click.echo(f"{fmt}: {counted(count, 'passage')}; mapping {mapping_path}, bulk {bulk_path}")
