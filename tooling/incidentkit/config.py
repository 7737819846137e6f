"""Configuration: one typed object from ``[tool.incidentkit]`` or ``incidentkit.toml``.

Every key has a default, so an empty config works. An unknown key is an
error that names the key and the file, because a typo in a deadline must not
silently fall back to the default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any

from incidentkit.errors import ConfigError, UsageError
from incidentkit.timeutil import load_timezone, parse_duration

CONFIG_FILE = "incidentkit.toml"
PYPROJECT = "pyproject.toml"

STATUSES = ("open", "mitigated", "resolved", "closed")
DETECTIONS = ("alert", "user-report", "log", "observation", "drill")
RULE_LEVELS = ("error", "warning", "off")

DEFAULT_SEVERITIES = {
    "SEV1": "Full outage, money or data being lost",
    "SEV2": "Major feature broken or degraded for many users; no workaround",
    "SEV3": "Partial degradation with a workaround, or a risk that will grow if left",
    "SEV4": "Cosmetic or minor; fix in normal working hours",
}

DEFAULT_SECTIONS = {
    "open": ["Summary", "Timeline"],
    "mitigated": ["Triage", "Mitigation log"],
    "resolved": ["Root cause", "Fix", "Data hygiene"],
    "postmortem": [
        "What happened?",
        "Why did it happen?",
        "What did we do?",
        "What went well?",
        "What went poorly?",
        "What will we change?",
        "What did we learn?",
    ],
}


@dataclass(frozen=True)
class Service:
    name: str = ""
    repo: str = ""
    risky: tuple[str, ...] = (
        "migrations/**",
        "*.lock",
        "requirements*.txt",
        "config/**",
        "pyproject.toml",
        "package.json",
        "package-lock.json",
    )


@dataclass(frozen=True)
class Folders:
    incidents: str = "incidents"
    postmortems: str = "postmortems"
    runbooks: str = "runbooks"
    templates: str = "templates"


@dataclass(frozen=True)
class LessonsConfig:
    max_count: int = 100
    max_age: str = ""


@dataclass(frozen=True)
class NotifyConfig:
    webhooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """The playbook's settings; build one with :func:`load_config` or ``Config()``."""

    id_prefix: str = "INC"
    timezone: str = "UTC"
    default_severity: str = ""
    postmortem_due: str = "48h"
    action_item_due: str = "14d"
    switch_test_max_age: str = "90d"
    drill_max_age: str = "90d"
    severities: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SEVERITIES))
    rules: dict[str, str] = field(default_factory=dict)
    lessons: LessonsConfig = field(default_factory=LessonsConfig)
    services: dict[str, Service] = field(default_factory=dict)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    folders: Folders = field(default_factory=Folders)
    sections: dict[str, list[str]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_SECTIONS.items()})
    source: Path | None = None

    @property
    def tz(self) -> tzinfo:
        return load_timezone(self.timezone)

    @property
    def severity_default(self) -> str:
        """The severity of ``incident new`` without ``-s``: configured, else the second one."""
        if self.default_severity:
            return self.default_severity
        names = list(self.severities)
        return names[min(1, len(names) - 1)]

    def duration(self, key: str) -> timedelta:
        return parse_duration(getattr(self, key))

    def required_sections(self, status: str) -> list[str]:
        """The incident sections required at ``status``: cumulative along the lifecycle."""
        required: list[str] = []
        for step in STATUSES:
            required += self.sections.get(step, [])
            if step == status:
                break
        return required

    def check_severity(self, name: str) -> str:
        """``name`` normalised to a configured severity, or a UsageError listing them."""
        for known in self.severities:
            if known.lower() == name.strip().lower():
                return known
        raise UsageError(
            f"unknown severity {name!r}",
            hint="use one of " + ", ".join(self.severities),
        )


# --- loading ---------------------------------------------------------------

_SCALARS: dict[str, type] = {
    "id_prefix": str,
    "timezone": str,
    "default_severity": str,
    "postmortem_due": str,
    "action_item_due": str,
    "switch_test_max_age": str,
    "drill_max_age": str,
}
_DURATION_KEYS = ("postmortem_due", "action_item_due", "switch_test_max_age", "drill_max_age")
_TABLES = ("severities", "rules", "lessons", "services", "notify", "folders", "sections")


def find_root(start: Path) -> tuple[Path, Path | None]:
    """Walk up from ``start`` to the playbook root: (root, config file or None).

    The root is the first folder holding ``incidentkit.toml``, a
    ``pyproject.toml`` with a ``[tool.incidentkit]`` table, or ``incidents/``.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return folder, own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return folder, pyproject
        if (folder / Folders.incidents).is_dir():
            return folder, None
    raise UsageError(
        f"no playbook found in {start} or above",
        hint="run `incident init` to create one, or pass --root DIR",
    )


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken pyproject.toml is reported by load_config if it is the one we use.
        return "[tool.incidentkit" in pyproject.read_text(encoding="utf-8", errors="replace")
    return isinstance(data.get("tool", {}).get("incidentkit"), dict)


def config_path_for(root: Path) -> Path | None:
    """The config file that applies to ``root``, if any."""
    own = root / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = root / PYPROJECT
    if pyproject.is_file() and _has_tool_table(pyproject):
        return pyproject
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate the config file at ``path`` (None: all defaults)."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config: {exc}", path=path) from None
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("incidentkit", {})
        prefix = "tool.incidentkit."
    else:
        table = data
        prefix = ""
    return _build(table, path, text, prefix)


def _build(table: dict[str, Any], path: Path, text: str, prefix: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{prefix}{key}: {message}", path=path, line=_line_of(text, key))

    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in _SCALARS:
            if not isinstance(value, str):
                raise fail(key, f"expected a string, got {value!r}")
            values[key] = value
        elif key not in _TABLES:
            raise fail(key, "unknown key")
        elif not isinstance(value, dict):
            raise fail(key, "expected a table")
    for key in _DURATION_KEYS:
        if key in values:
            try:
                parse_duration(values[key])
            except ValueError as exc:
                raise fail(key, str(exc)) from None
    if "timezone" in values:
        try:
            load_timezone(values["timezone"])
        except ConfigError as exc:
            raise fail("timezone", exc.message) from None
    if "id_prefix" in values and not re.fullmatch(r"[A-Z][A-Z0-9]*", values["id_prefix"]):
        raise fail("id_prefix", "use capital letters and digits, e.g. INC")

    if "severities" in table:
        severities = table["severities"]
        if not severities:
            raise fail("severities", "define at least one severity")
        for name, definition in severities.items():
            if not isinstance(definition, str):
                raise fail(f"severities.{name}", "expected a definition string")
        values["severities"] = dict(severities)
    if "rules" in table:
        for code, level in table["rules"].items():
            if not re.fullmatch(r"IK\d{1,3}", code):
                raise fail(f"rules.{code}", "expected a rule code or family such as IK301 or IK3")
            if level not in RULE_LEVELS:
                raise fail(f"rules.{code}", f"expected one of {', '.join(RULE_LEVELS)}")
        values["rules"] = dict(table["rules"])
    if "lessons" in table:
        values["lessons"] = _sub(LessonsConfig, table["lessons"], "lessons", fail)
        if values["lessons"].max_age:
            try:
                parse_duration(values["lessons"].max_age)
            except ValueError as exc:
                raise fail("lessons.max_age", str(exc)) from None
    if "notify" in table:
        values["notify"] = _sub(NotifyConfig, table["notify"], "notify", fail)
    if "folders" in table:
        values["folders"] = _sub(Folders, table["folders"], "folders", fail)
    if "sections" in table:
        sections = {k: list(v) for k, v in DEFAULT_SECTIONS.items()}
        for step, names in table["sections"].items():
            if step not in sections:
                raise fail(f"sections.{step}", "unknown key; use " + ", ".join(sections))
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise fail(f"sections.{step}", "expected a list of section names")
            sections[step] = names
        values["sections"] = sections
    if "services" in table:
        services = {}
        for name, body in table["services"].items():
            if not isinstance(body, dict):
                raise fail(f"services.{name}", "expected a table with repo and risky")
            services[name] = _sub(Service, {"name": name, **body}, f"services.{name}", fail)
        values["services"] = services

    config = Config(**values, source=path)
    if config.default_severity and config.default_severity not in config.severities:
        raise fail("default_severity", "not one of the configured severities")
    return config


def _sub(cls: type, table: dict[str, Any], key: str, fail: Any) -> Any:
    """Build the dataclass ``cls`` from a sub-table, checking names and types."""
    defaults = cls()
    out: dict[str, Any] = {}
    for name, value in table.items():
        if name not in cls.__dataclass_fields__:
            raise fail(f"{key}.{name}", "unknown key")
        expected = getattr(defaults, name)
        if isinstance(expected, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(f"{key}.{name}", "expected a list of strings")
            value = tuple(value)
        elif isinstance(expected, bool) or not isinstance(value, type(expected)):
            raise fail(f"{key}.{name}", f"expected {type(expected).__name__}, got {value!r}")
        out[name] = value
    return cls(**out)


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` (last dotted part) is set, for a located message."""
    last = key.split(".")[-1]
    pattern = re.compile(rf'^\s*(?:"{re.escape(last)}"|{re.escape(last)})\s*=|^\s*\[.*\b{re.escape(last)}\]', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
