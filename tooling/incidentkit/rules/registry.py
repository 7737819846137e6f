"""The rule registry: codes, scopes, docstrings, and severities from config."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from incidentkit.config import Config
from incidentkit.errors import UsageError

SCOPES = ("incident", "postmortem", "inventory", "checklist", "playbook", "lessons", "file", "repo")
_CODE = re.compile(r"^IK[1-6]\d\d$")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    scope: str
    check: Callable[..., Iterable[Any]]
    content: bool = False  # judges its file's own bytes and name only: its hits are cached with them

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def default_level(self) -> str:
        return "warning" if self.family == "IK6" else "error"

    def level(self, config: Config) -> str:
        """error | warning | off: the longest matching code or family prefix in config wins."""
        matches = [key for key in config.rules if self.code.startswith(key)]
        if not matches:
            return self.default_level()
        return config.rules[max(matches, key=len)]


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, scope: str, *, content: bool = False) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a rule function; its docstring is its documentation in the catalogue.

    ``content=True`` declares that the rule reads nothing but its file (bytes
    and name) and the config: no clock, no other file. Its hits are then
    reused while those stay the same; it is handed a context that refuses
    everything else (rules.context.ContentView), so a wrong claim fails loudly.
    """
    assert _CODE.match(code) and scope in SCOPES and code not in RULES, code

    def register(function: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        assert function.__doc__, f"rule {code} needs a docstring"
        RULES[code] = Rule(code, name, scope, function, content)
        return function

    return register


def parse_select(values: Iterable[str]) -> tuple[str, ...]:
    """``--select`` values (codes or families, comma separated) checked against the registry."""
    selected: list[str] = []
    for value in values:
        for part in re.split(r"[,\s]+", value.strip()):
            if not part:
                continue
            code = part.upper()
            if not any(known.startswith(code) for known in RULES) or not re.fullmatch(r"IK\d{1,3}", code):
                raise UsageError(f"--select {part}: no rule has that code or family", hint="see `incident rules`")
            selected.append(code)
    return tuple(selected)


def active_rules(config: Config, select: tuple[str, ...] = ()) -> list[tuple[Rule, str]]:
    """(rule, level) for every rule that runs: selected (if any) and not configured off."""
    active = []
    for code in sorted(RULES):
        known = RULES[code]
        if select and not any(code.startswith(prefix) for prefix in select):
            continue
        level = known.level(config)
        if level != "off":
            active.append((known, level))
    return active
