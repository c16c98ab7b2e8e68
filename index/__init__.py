"""Indexing: embed passages -> dense (FAISS) and lexical (SQLite FTS5 BM25) stores + metadata.

``embedder`` turns text into vectors; ``dense`` and ``lexical`` share the ``SearchIndex``
interface; ``store`` keeps documents, passages and the lexical index in SQLite;
``writer`` adds, replaces and removes documents atomically; ``fusion`` merges rankings.
``ray_ingest`` runs the ingest on Ray (the ``[scale]`` extra) into ``shards`` that
``shard_commit`` folds in through the writer; ``opensearch_export`` writes the index for
OpenSearch's k-NN plugin.
"""
