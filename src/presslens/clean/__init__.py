"""Cleaning: HTML to text, plain-text normalisation and auditable boilerplate removal."""

from presslens.clean.boilerplate import OutletBoilerplate, furniture_reason
from presslens.clean.html import HtmlText, extract_html
from presslens.clean.stage import CleanStage, clean_articles, clean_text
from presslens.clean.text import normalise_text

__all__ = [
    "CleanStage",
    "HtmlText",
    "OutletBoilerplate",
    "clean_articles",
    "clean_text",
    "extract_html",
    "furniture_reason",
    "normalise_text",
]
