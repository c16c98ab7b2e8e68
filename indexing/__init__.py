"""The ingest run: discover -> load -> cut -> embed -> commit, and the single writer.

``run`` reads top to bottom what one ingest does; ``writer`` holds the write lock and
commits each batch atomically through the store and every index (``index/``);
``embed_batch`` embeds a batch with the index as a cache of vectors; ``duplicates`` and
``supersedes`` decide what not to add and which supersedes links to break.  ``ray_ingest``
runs the load, cut and embed stages on Ray (the ``[scale]`` extra) into ``shards`` that
``shard_commit`` folds in through the same writer.
"""
