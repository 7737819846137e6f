"""A playbook on disk: its folders, its incidents, REF resolution, id allocation, locks."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from incidentkit.config import Config, config_path_for, find_root, load_config
from incidentkit.documents.atomic import create_exclusive
from incidentkit.documents.model import Incident, Postmortem
from incidentkit.errors import DocumentError, IncidentkitError, UsageError

STATE_DIR = ".incidentkit"


class NoActiveIncident(IncidentkitError):
    """No REF was given and no incident is open or mitigated."""
_REF = re.compile(r"^(?:([A-Za-z][A-Za-z0-9]*)-)?0*(\d+)$")


@dataclass(frozen=True)
class Playbook:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path | None = None, *, cwd: Path | None = None) -> Playbook:
        """The playbook at ``root``, or found by walking up from ``cwd``."""
        if root is not None:
            root = root.resolve()
            if not root.is_dir():
                raise UsageError(f"--root {root} is not a folder")
            return cls(root, load_config(config_path_for(root)))
        found, config_file = find_root(cwd or Path.cwd())
        return cls(found, load_config(config_file))

    # --- folders --------------------------------------------------------------

    @cached_property
    def incidents_dir(self) -> Path:
        return self.root / self.config.folders.incidents

    @cached_property
    def postmortems_dir(self) -> Path:
        return self.root / self.config.folders.postmortems

    @cached_property
    def runbooks_dir(self) -> Path:
        return self.root / self.config.folders.runbooks

    @cached_property
    def templates_dir(self) -> Path:
        return self.root / self.config.folders.templates

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    # --- incidents ------------------------------------------------------------

    @cached_property
    def _id_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.config.id_prefix)}-(\d+)(?:-|\.md$)")

    def _numbered_names(self, folder: Path) -> list[str]:
        """Names of the id-numbered Markdown files in ``folder``, in id order; symlinks are not followed."""
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return []
        found = []
        for entry in entries:  # scandir knows each entry's type without a stat per file
            number = self.number_of(entry.name)
            if number is not None and entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                found.append((number, entry.name))
        return [name for _, name in sorted(found)]

    def incident_names(self) -> list[str]:
        return self._numbered_names(self.incidents_dir)

    def incident_paths(self) -> list[Path]:
        """Incident files in id order; symlinks are not followed."""
        return [self.incidents_dir / name for name in self.incident_names()]

    def number_of(self, path: Path | str) -> int | None:
        """The incident number in a file name (a path or a bare name), or None."""
        name = path if isinstance(path, str) else path.name
        if not name.startswith(self._id_start):  # most names in a big folder decide here
            return None
        match = self._id_pattern.match(name)
        return int(match.group(1)) if match else None

    @cached_property
    def _id_start(self) -> str:
        return f"{self.config.id_prefix}-"

    def format_id(self, number: int) -> str:
        return f"{self.config.id_prefix}-{number:04d}"

    def load_incidents(self, on_error: Callable[[IncidentkitError], None] | None = None) -> list[Incident]:
        """Every readable incident; unreadable ones go to ``on_error`` (or raise)."""
        incidents = []
        for path in self.incident_paths():
            try:
                incidents.append(Incident.read(path))
            except IncidentkitError as exc:
                if on_error is None:
                    raise
                on_error(exc)
        return incidents

    def resolve(self, ref: str | None, on_error: Callable[[IncidentkitError], None] | None = None) -> Incident:
        """The incident named by ``ref`` (``INC-0042``, ``42``), or the one active incident."""
        if ref is None or not ref.strip():
            return self._the_active_one(on_error)
        match = _REF.match(ref.strip())
        if not match or (match.group(1) and match.group(1).upper() != self.config.id_prefix):
            raise UsageError(
                f"{ref!r} is not an incident reference",
                hint=f"use {self.config.id_prefix}-0042 or 42",
            )
        number = int(match.group(2))
        paths = [p for p in self.incident_paths() if self.number_of(p) == number]
        if not paths:
            raise IncidentkitError(
                f"no incident {self.format_id(number)} in {self.relative(self.incidents_dir)}/",
                hint="`incident list` shows them",
            )
        if len(paths) > 1:
            names = ", ".join(self.relative(p) for p in paths)
            raise IncidentkitError(f"{self.format_id(number)} is claimed by several files: {names}", hint="rename one")
        return Incident.read(paths[0])

    def _the_active_one(self, on_error: Callable[[IncidentkitError], None] | None) -> Incident:
        active = [i for i in self.load_incidents(on_error) if i.active]
        if len(active) == 1:
            return active[0]
        if not active:
            raise NoActiveIncident("no incident is open or mitigated", hint="name one: INC-0042 or 42")
        listing = "; ".join(f"{i.id} ({i.status}) {i.title}" for i in active)
        raise IncidentkitError(f"{len(active)} incidents are active: {listing}", hint="name one: INC-0042 or 42")

    def postmortem_path(self, incident: Incident) -> Path:
        return self.postmortems_dir / incident.path.name

    def load_postmortem(self, incident: Incident) -> Postmortem | None:
        path = self.postmortem_path(incident)
        return Postmortem.read(path) if path.is_file() else None

    def postmortem_names(self) -> list[str]:
        return self._numbered_names(self.postmortems_dir)

    def postmortem_paths(self) -> list[Path]:
        """Post-mortem files named after an id, in id order; symlinks are not followed."""
        return [self.postmortems_dir / name for name in self.postmortem_names()]

    def incident_name_for(self, postmortem_name: str, incident_id: str, incident_names: Collection[str]) -> str | None:
        """Which incident file a post-mortem belongs to: the one with its file name, else
        the first (in name order) whose number is the id its ``incident`` key names."""
        if postmortem_name in incident_names:
            return postmortem_name
        number = self.number_of(f"{incident_id}.md")
        if number is None:
            return None
        return min((name for name in incident_names if name.endswith(".md") and self.number_of(name) == number), default=None)

    def postmortem_pairs(self, on_error: Callable[[IncidentkitError], None] | None = None) -> list[tuple[Postmortem, Incident | None]]:
        """Every readable post-mortem with its incident (same file name, else same id)."""
        incident_names = frozenset(self.incident_names())
        pairs = []
        for path in self.postmortem_paths():
            try:
                postmortem = Postmortem.read(path)
                name = self.incident_name_for(path.name, postmortem.incident_id, incident_names)
                incident = Incident.read(self.incidents_dir / name) if name else None
            except IncidentkitError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            pairs.append((postmortem, incident))
        return pairs

    # --- writing ----------------------------------------------------------------

    def state_dir(self) -> Path:
        """``.incidentkit/``: lock files, ignored by git through its own .gitignore."""
        folder = self.root / STATE_DIR
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# incidentkit's lock files; nothing here belongs in git\n*\n")
        except OSError as exc:
            raise DocumentError(f"cannot write: {exc.strerror}", path=folder) from None
        return folder

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """A cross-process lock named ``name`` (e.g. an incident id)."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.state_dir() / f"{name}.lock"), timeout=30)
        try:
            with lock:
                yield
        except Timeout:
            raise IncidentkitError(
                f"{name} is locked by another incidentkit process for over 30 s",
                hint=f"if none is running, delete {STATE_DIR}/{name}.lock",
            ) from None
        except PermissionError as exc:
            raise DocumentError(
                f"cannot lock: {exc.strerror}", path=lock.lock_file, hint="check the folder's permissions"
            ) from None

    def create_incident_file(self, slug: str, render: Callable[[str], bytes]) -> Path:
        """Allocate the next free id and create its file with ``render(id)``.

        Allocation holds the ``ids`` lock and creates the file exclusively, so
        two ``incident new`` at the same moment never share an id.
        """
        try:
            self.incidents_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DocumentError(f"cannot create the folder: {exc.strerror}", path=self.incidents_dir) from None
        with self.lock("ids"):
            taken = [n for n in map(self.number_of, self.incidents_dir.glob("*.md")) if n is not None]
            number = max(taken, default=0) + 1
            while True:
                ident = self.format_id(number)
                path = self.incidents_dir / f"{ident}-{slug}.md" if slug else self.incidents_dir / f"{ident}.md"
                if create_exclusive(path, render(ident)):
                    return path
                number += 1

    def update(self, incident: Incident, change: Callable[[Incident], str]) -> Incident:
        """Re-read ``incident`` under its lock, apply ``change`` (returns new text), save atomically."""
        with self.lock(incident.id):
            fresh = Incident.read(incident.path)
            text = change(fresh)
            if text != fresh.text:
                fresh.source.save(text)
            return Incident.read(incident.path)
