"""Ingestion: load committee papers (text, HTML, PDF, Word), find their structure, cut passages.

Data flow: ``loaders`` (file -> ExtractedText) -> ``structure`` (text -> Blocks)
-> ``chunker`` (Blocks -> Passages). ``pipeline.process_file`` runs all three.
"""
