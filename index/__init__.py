"""The stores of an index folder: SQLite (the source of truth) and the indexes derived from it.

``store`` keeps documents, passages, sentences, records and the vocabulary in SQLite (one
module per thing stored, ``filters`` for filter-to-SQL); ``dense`` (FAISS) and
``lexical_tantivy`` (tantivy BM25) share the ``base.Index`` lifecycle; ``embedder`` turns
text into vectors; ``fusion`` merges rankings.  Writing is ``indexing``'s; this package
only stores and reads.  ``opensearch_export`` writes the index for OpenSearch's k-NN plugin.
"""
