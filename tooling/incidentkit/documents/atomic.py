"""Atomic file writes: a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from incidentkit.errors import DocumentError


def _write_temp(path: Path, data: bytes, mode: int | None) -> str:
    """Write ``data`` to a synced temp file beside ``path``; return its name."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _located(exc, path.parent) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` by temp file + fsync + rename, keeping its mode."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    tmp = _write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise _located(exc, path) from None
    _sync_dir(path.parent)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` holding ``data`` only if it does not exist yet; False if it does.

    The content is written to a temp file first and then hard-linked into
    place: ``link`` fails when the name exists, so creation is both exclusive
    and atomic (no reader ever sees an empty or partial new file).
    """
    tmp = _write_temp(path, data, 0o644)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _located(exc, path) from None
    finally:
        os.unlink(tmp)
    _sync_dir(path.parent)
    return True


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _located(exc: OSError, where: Path) -> DocumentError:
    reason = exc.strerror or str(exc)
    hint = "check the folder's permissions and free space"
    return DocumentError(f"cannot write: {reason}", path=where, hint=hint)
