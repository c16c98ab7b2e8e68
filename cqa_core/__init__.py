"""The bottom layer every package may import: domain errors and text utilities.

`ingest/`, `index/`, `qa_service/` and `evaluation/` all build on these two modules; they import
nothing from the project themselves.
"""
