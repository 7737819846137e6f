"""Config: defaults, discovery by walking up, and errors that name the key and the file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from incidentkit.config import Config, find_root, load_config
from incidentkit.errors import ConfigError, UsageError


def test_defaults_work_without_a_file() -> None:
    config = load_config(None)
    assert config == Config()
    assert config.duration("postmortem_due") == timedelta(hours=48)
    assert config.duration("action_item_due") == timedelta(days=14)
    assert list(config.severities) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert config.severity_default == "SEV2"
    assert config.required_sections("open") == ["Summary", "Timeline"]
    assert config.required_sections("resolved")[-3:] == ["Root cause", "Fix", "Data hygiene"]


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.incidentkit]\nid_prefix = "OPS"\ntimezone = "Europe/Berlin"\n'
        '[tool.incidentkit.severities]\nP1 = "down"\nP2 = "degraded"\n'
        '[tool.incidentkit.services.foresight]\nrepo = "../foresight"\nrisky = ["*.lock"]\n'
    )
    root, path = find_root(tmp_path)
    config = load_config(path)
    assert (root, path.name) == (tmp_path, "pyproject.toml")
    assert config.id_prefix == "OPS"
    assert config.severity_default == "P2"
    assert config.services["foresight"].risky == ("*.lock",)
    assert str(config.tz) == "Europe/Berlin"


def test_root_is_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / "incidentkit.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == (tmp_path, tmp_path / "incidentkit.toml")


def test_no_playbook_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        find_root(tmp_path)
    assert "incident init" in str(caught.value)


@pytest.mark.parametrize("body, key, line", [
    ('id_prefix = "INC"\npostmortem_deu = "48h"\n', "postmortem_deu: unknown key", 2),
    ('[lessons]\nmax_cont = 3\n', "lessons.max_cont: unknown key", 2),
    ('postmortem_due = "two days"\n', "postmortem_due: not a duration", 1),
    ('timezone = "Mars/Olympus"\n', "timezone: unknown timezone", 1),
    ('[rules]\nIK3 = "fatal"\n', "rules.IK3: expected one of error, warning, off", 2),
    ('[severities]\nSEV1 = 1\n', "severities.SEV1: expected a definition string", 2),
    ('[lessons]\nmax_count = "many"\n', "lessons.max_count: expected int", 2),
    ('id_prefix = = "x"\n', "invalid TOML", None),
])
def test_bad_config_names_key_file_and_line(tmp_path: Path, body: str, key: str, line: int | None) -> None:
    path = tmp_path / "incidentkit.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.exit_code == 2
    assert key in caught.value.message
    assert caught.value.path == path
    assert caught.value.line == line


def test_unknown_key_in_pyproject_is_prefixed(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.incidentkit]\ncolour = "red"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:2: tool.incidentkit.colour: unknown key"
