"""`incident init`: a skeleton playbook that never overwrites a file."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from incidentkit.config import CONFIG_FILE, config_path_for
from incidentkit.documents.atomic import create_exclusive
from incidentkit.errors import DocumentError


def _skeleton_files(folder: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    files = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            files += _skeleton_files(entry, f"{prefix}{entry.name}/")
        else:
            files.append((f"{prefix}{entry.name}", entry.read_bytes()))
    return files


def init_playbook(directory: Path) -> list[tuple[Path, bool]]:
    """Create the playbook skeleton in ``directory``: [(path, created?)], nothing overwritten."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocumentError(f"cannot create the folder: {exc.strerror}", path=directory) from None
    has_config = config_path_for(directory) is not None
    planned = _skeleton_files(resources.files("incidentkit") / "templates" / "skeleton")
    planned += [("incidents/.gitkeep", b""), ("postmortems/.gitkeep", b"")]
    results = []
    for name, data in planned:
        path = directory / name
        if path.exists():
            results.append((path, False))
            continue
        if name == CONFIG_FILE and has_config:
            continue  # pyproject.toml already holds [tool.incidentkit]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DocumentError(f"cannot create the folder: {exc.strerror}", path=path.parent) from None
        results.append((path, create_exclusive(path, data)))
    return results
