"""The bottom layer every package may import: domain errors, text utilities,
shared limits and how an index folder is recognised.

`ingest/`, `index/`, `qa_service/` and `evaluation/` all build on these modules; they import
nothing from the project themselves.
"""
