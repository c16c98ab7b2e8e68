"""Evaluation and fitting over labelled question sets, kept outside the served package.

``cqa eval``, the benchmarks in ``bench/`` and the fitting scripts use it; ``qa_service``
imports it only inside the ``cqa eval`` command, so a server never loads it.

- :mod:`evaluation.questions`: the ``questions.jsonl`` format, read and checked (any type).
- :mod:`evaluation.metrics`: the hit rule and the per-question metrics.
- :mod:`evaluation.scoring`: figures over a set, overall and per question type.
- :mod:`evaluation.report`: the figures as JSON, a readable table, a row per set.
- :mod:`evaluation.runner`: questions asked of the engine, as ``cqa eval`` runs them.
- :mod:`evaluation.crossval`: cross-validation across councils for fitted numbers.

Only ``runner`` imports the service (``index``, ``qa_service``); the rest needs nothing
beyond ``cqa_core``, so ``bench/baselines.py`` can score peer systems in a virtualenv
where the project is not installed.
"""
