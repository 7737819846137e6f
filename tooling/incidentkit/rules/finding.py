"""A finding: one problem at one place, with a stable code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the playbook root, with forward slashes
    line: int
    column: int
    code: str
    severity: str  # error | warning
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the engine adds the code and the configured severity."""

    path: str
    line: int
    message: str
    column: int = 1
