"""Answering: retrieve -> answer -> HTTP API, web form and the ``cqa`` command line."""
