"""Executors decide where stages run; stages never import them."""
