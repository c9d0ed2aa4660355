"""Config: defaults, TOML layering, CLI overrides, and errors that name the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.config import Config, load_config
from presslens.errors import ConfigError


def test_defaults_are_valid() -> None:
    cfg = load_config()
    assert cfg == Config()
    assert cfg.ingest.max_bytes == 20 * 1024 * 1024


def test_toml_then_overrides(tmp_path: Path) -> None:
    f = tmp_path / "presslens.toml"
    f.write_text(
        '[ingest]\nmax_bytes = 1000\nsource = "file-outlet"\n[clean]\nboilerplate_min_share = 1\n'
    )
    cfg = load_config(f, {"ingest": {"source": "cli-outlet", "max_bytes": None}})
    assert cfg.ingest.max_bytes == 1000  # None override leaves the file's value
    assert cfg.ingest.source == "cli-outlet"
    assert cfg.clean.boilerplate_min_share == 1.0
    assert isinstance(cfg.clean.boilerplate_min_share, float)


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[ingest]\nmax_bytes = -1\n", "ingest.max_bytes"),
        ("[ingest]\nmax_bytes = 'big'\n", "ingest.max_bytes"),
        ("[ingest]\nnope = 1\n", "ingest.nope"),
        ("[nosuch]\nx = 1\n", "[nosuch]"),
        ("[clean]\nboilerplate_min_share = 2.0\n", "boilerplate_min_share"),
        ("[report]\nformats = ['pdf']\n", "pdf"),
        ("[ingest\n", "not valid TOML"),
    ],
)
def test_bad_values_name_themselves(tmp_path: Path, toml: str, needle: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(toml)
    with pytest.raises(ConfigError) as e:
        load_config(f)
    assert needle in str(e.value)


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config("/nonexistent/presslens.toml")


def test_bool_is_not_an_int(tmp_path: Path) -> None:
    f = tmp_path / "b.toml"
    f.write_text("[ingest]\nmax_bytes = true\n")
    with pytest.raises(ConfigError, match="max_bytes"):
        load_config(f)


def test_the_brief_constants_are_settings_of_the_brief_section(tmp_path: Path) -> None:
    from presslens.brief.stage import BriefStage

    toml = tmp_path / "p.toml"
    toml.write_text("[brief]\nmmr_lambda = 0.9\nmin_words = 4\n", encoding="utf-8")
    cfg = load_config(toml)
    assert cfg.brief.mmr_lambda == 0.9 and cfg.brief.min_words == 4
    assert BriefStage.from_config(cfg).config.mmr_lambda == 0.9
    toml.write_text("[brief]\nmax_words = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"brief\.max_words \(3\) must be >= brief\.min_words"):
        load_config(toml)


def test_old_section_names_are_still_read(tmp_path: Path) -> None:
    toml = tmp_path / "old.toml"
    toml.write_text("[summarize]\nwords = 90\n[nlp]\nbatch_size = 8\n", encoding="utf-8")
    cfg = load_config(toml)
    assert cfg.brief.words == 90 and cfg.quotes.batch_size == 8
