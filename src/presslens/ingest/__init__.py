"""Ingest: turn input files, folders and URLs into :class:`~presslens.model.Article` records.

:func:`read_inputs` is the entry point; each reader lives in its own module (``txt``,
``html``, ``jsonl``, ``warc``, ``feed``, ``url``), with ``decode`` (bytes to text) and
``source`` (which outlet) shared by all.  Bad input never raises: it becomes a
:class:`~presslens.model.Skip` with a reason, and the run goes on.
"""

from presslens.ingest.inputs import read_inputs

__all__ = ["read_inputs"]
