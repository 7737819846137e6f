"""A row in an SQLite database: the update and its check in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from incidentkit.runbooks import Switch
from incidentkit.switches.base import FlipResult, SwitchError, target_path

DEFAULTS = {"off": 0, "on": 1}


def _expected(switch: Switch, target: str) -> Any:
    value = switch.data.get(f"{target}_value", DEFAULTS[target])
    return int(value) if isinstance(value, bool) else value


def _same(found: Any, expected: Any) -> bool:
    return found == expected or str(found) == str(expected)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    if not path.is_file():
        raise SwitchError("no such database", path=path, hint="check `database:` in runbooks/kill-switches.md")
    try:
        return sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        raise SwitchError(f"cannot open: {exc}", path=path) from None


def flip(root: Path, switch: Switch, target: str, dry_run: bool) -> FlipResult:
    path = target_path(root, switch, "database")
    update, check = str(switch.data.get(f"{target}_sql") or ""), str(switch.data.get("check_sql") or "")
    expected = _expected(switch, target)
    action = f"switch {target} {switch.name}: {update} ({switch.data['database']})"
    if dry_run:
        connection = _connect(path, "ro")
        try:
            row = connection.execute(check).fetchone()
        except sqlite3.Error as exc:
            raise SwitchError(f"check_sql failed: {exc}", path=path) from None
        finally:
            connection.close()
        return FlipResult(action, f"dry run: check_sql gives {row[0] if row else None!r}, would become {expected!r}")
    connection = _connect(path, "rw")
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            changed = connection.execute(update).rowcount
            row = connection.execute(check).fetchone()
            if changed == 0:
                raise SwitchError(f"{target}_sql changed no row", path=path, hint="check the WHERE clause")
            if row is None or not _same(row[0], expected):
                raise SwitchError(f"check_sql gives {row[0] if row else None!r}, expected {expected!r}", path=path)
        except sqlite3.Error as exc:
            connection.execute("ROLLBACK")
            raise SwitchError(f"SQL failed: {exc}", path=path) from None
        except SwitchError:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    except sqlite3.Error as exc:  # BEGIN or COMMIT: locked, read-only, full disk
        raise SwitchError(f"cannot write: {exc}", path=path) from None
    finally:
        connection.close()
    reader = _connect(path, "ro")
    try:
        row = reader.execute(check).fetchone()
    finally:
        reader.close()
    if row is None or not _same(row[0], expected):
        raise SwitchError(f"read back {row[0] if row else None!r}, expected {expected!r}", path=path)
    return FlipResult(action, "verified")
