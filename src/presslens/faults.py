"""Fault injection for the tests: stop the process dead at a named point of a run.

A test sets ``PRESSLENS_FAULT`` to a comma-separated list of points (``after:cluster``,
``story-chunk``) and the run is killed with SIGKILL when it reaches one, exactly as a power
cut or the OOM killer would stop it.  With ``PRESSLENS_FAULT_ONCE`` naming a file, only the
first process to reach the point dies (it creates the file); later ones go on, which is how
a retried worker is tested.  Unset, :func:`reached` costs one environment lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "PRESSLENS_FAULT"
ONCE_ENV = "PRESSLENS_FAULT_ONCE"


def reached(point: str) -> None:
    """Die here when the tests asked for a fault at ``point``."""
    wanted = os.environ.get(ENV)
    if not wanted or point not in wanted.split(","):
        return
    once = os.environ.get(ONCE_ENV)
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    os.kill(os.getpid(), signal.SIGKILL)
