"""The local story browser: a Starlette app over a presslens store."""

from presslens.web.server import create_app

__all__ = ["create_app"]
