"""A per-user cache of work that depends only on a file's bytes (parses, secret scans).

It lives outside the playbook (``$INCIDENTKIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/incidentkit``, else ``~/.cache/incidentkit``), one folder per
playbook root, so that a cache committed into a repository can never feed the
checker: a forged entry could otherwise hide a secret from CI. Entries are
JSON (data, never code) keyed by the SHA-1 of the content they describe.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from incidentkit.documents.atomic import atomic_write


def cache_dir(root: Path) -> Path | None:
    """This playbook's cache folder, created on demand; None when it cannot be written."""
    base = os.environ.get("INCIDENTKIT_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = os.path.join(xdg, "incidentkit") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "incidentkit")
    folder = Path(base) / hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


@lru_cache(maxsize=1)
def code_key() -> str:
    """Names this incidentkit's code (each module's name, size and time), so that what
    one version of the code parsed or judged is never reused by another, edited or not."""
    package = Path(__file__).parent
    stamps = []
    for folder, _dirs, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith(".py"):
                status = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(folder, package)}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha1("\n".join(stamps).encode()).hexdigest()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_json(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    if path is None:
        return
    try:
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass  # an unwritable cache only costs time


# Dates and times as tagged lists, decoded only for the records a run uses:
# a JSON object_hook would cost a call for every object of a large cache.
_DATETIME, _DATE = "\x00dt", "\x00d"


_PLAIN = (str, int, bool, type(None))


def tagged(value: Any) -> Any:
    """``value`` as JSON data that ``decode_tagged`` turns back into an equal value;
    ValueError for what would not come back the same (a set, a number key, NaN)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        if value != value:
            raise ValueError("NaN is not equal to itself")
        return value
    if kind is datetime:
        return [_DATETIME, value.isoformat()]
    if kind is date:
        return [_DATE, value.isoformat()]
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise ValueError("JSON keys are strings")
        return {key: tagged(item) for key, item in value.items()}
    if kind is list:
        if len(value) == 2 and value[0] in (_DATETIME, _DATE):
            raise ValueError("a list that reads as a tag")
        return [tagged(item) for item in value]
    raise ValueError(f"{kind.__name__} is not kept")


def decode_tagged(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) == 2 and value[0] == _DATETIME:
            return datetime.fromisoformat(value[1])
        if len(value) == 2 and value[0] == _DATE:
            return date.fromisoformat(value[1])
        return [decode_tagged(item) for item in value]
    if isinstance(value, dict):
        return {key: decode_tagged(item) for key, item in value.items()}
    return value
