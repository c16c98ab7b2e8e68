"""Pydantic request and response models of the HTTP API (separate from internal records).

One module per what they describe: ``filters`` (and the shared request fields), ``passages``,
``asking`` (ask and compare), ``documents`` (documents, uploads, health, errors) and
``precedent`` (decisions, commitments, trends, timelines).
"""
