"""What the rules see: the playbook, the clock, and every file loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from incidentkit.documents.actions import ActionItem, action_items
from incidentkit.documents.frontmatter import FrontMatterError
from incidentkit.documents.model import Document, Incident, Postmortem
from incidentkit.documents.source import Source, read_source
from incidentkit.errors import DocumentError
from incidentkit.playbook import Playbook

INVENTORY = "kill-switches.md"
CHECKLIST = "layer-1.md"
PLAYBOOK = "playbook.md"
LESSONS = "lessons.md"


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    rel: str  # relative to the playbook root, forward slashes
    kind: str  # incident | postmortem | inventory | checklist | playbook | runbook | lessons | misnamed


class Context:
    def __init__(self, playbook: Playbook, now: datetime) -> None:
        self.playbook = playbook
        self.config = playbook.config
        self.now = now
        self.today: date = now.astimezone(self.config.tz).date()
        self._sources: dict[Path, Source | DocumentError] = {}
        self._docs: dict[Path, Document | DocumentError] = {}
        self._items: dict[Path, list[ActionItem]] = {}
        self._incident_paths: list[Path] | None = None
        self._state_dir: Path | None | bool = False

    def state_dir(self) -> Path | None:
        """``.incidentkit/`` for caches, or None when it cannot be written (a read-only checkout)."""
        if self._state_dir is False:
            try:
                self._state_dir = self.playbook.state_dir()
            except DocumentError:
                self._state_dir = None
        return self._state_dir  # type: ignore[return-value]

    # --- which files -----------------------------------------------------------

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.playbook.root).as_posix()
        except ValueError:
            return path.as_posix()

    def classify(self, path: Path) -> CheckedFile | None:
        """The kind of a playbook file, or None for files the checker ignores."""
        if path.suffix != ".md" or path.name.startswith("."):
            return None
        folders = self.playbook
        parent = path.parent
        if parent == folders.incidents_dir:
            kind = "incident" if folders.number_of(path) is not None else "misnamed"
        elif parent == folders.postmortems_dir:
            kind = "postmortem" if folders.number_of(path) is not None else "misnamed"
        elif parent == folders.runbooks_dir:
            kind = {INVENTORY: "inventory", CHECKLIST: "checklist", PLAYBOOK: "playbook"}.get(path.name, "runbook")
        elif path == self.playbook.root / LESSONS:
            kind = "lessons"
        else:
            return None
        return CheckedFile(path, self.rel(path), kind)

    def discover(self) -> list[CheckedFile]:
        """Every file of the playbook the checker knows, in a stable order."""
        found = []
        for folder in (self.playbook.incidents_dir, self.playbook.postmortems_dir, self.playbook.runbooks_dir):
            if folder.is_dir():
                found += sorted(folder.glob("*.md"))
        found.append(self.playbook.root / LESSONS)
        files = [self.classify(path) for path in found if path.exists() or path.is_symlink()]
        return [f for f in files if f is not None]

    def incident_paths(self) -> list[Path]:
        if self._incident_paths is None:
            self._incident_paths = self.playbook.incident_paths()
        return self._incident_paths

    # --- loading, once each -------------------------------------------------

    def source(self, path: Path) -> Source | DocumentError:
        if path not in self._sources:
            try:
                if path.is_symlink():
                    raise DocumentError("is a symbolic link; not followed", path=path, line=1,
                                        hint="copy the file into the playbook instead")
                self._sources[path] = read_source(path)
            except DocumentError as exc:
                self._sources[path] = exc
        return self._sources[path]

    def document(self, path: Path, cls: type[Document] = Document) -> Document | DocumentError:
        if path not in self._docs:
            source = self.source(path)
            if isinstance(source, DocumentError):
                self._docs[path] = source
            else:
                try:
                    self._docs[path] = cls.from_source(source)
                except FrontMatterError as exc:
                    self._docs[path] = exc
        return self._docs[path]

    def load(self, checked: CheckedFile) -> Document | DocumentError:
        """The parsed document of a checked file (its load error when it cannot be read)."""
        return self.document(checked.path, {"incident": Incident, "postmortem": Postmortem}.get(checked.kind, Document))

    def incident(self, path: Path) -> Incident | None:
        doc = self.document(path, Incident)
        return doc if isinstance(doc, Incident) else None

    def postmortem(self, path: Path) -> Postmortem | None:
        doc = self.document(path, Postmortem)
        return doc if isinstance(doc, Postmortem) else None

    def postmortem_for(self, incident: Incident) -> Postmortem | None:
        path = self.playbook.postmortems_dir / incident.path.name
        return self.postmortem(path) if path.is_file() else None

    def incident_for(self, postmortem: Postmortem) -> Incident | None:
        """The incident with the same file name, else the one its ``incident`` key names."""
        same = self.playbook.incidents_dir / postmortem.path.name
        if same.is_file():
            return self.incident(same)
        number = self.playbook.number_of(Path(f"{postmortem.incident_id}.md"))
        for path in self.incident_paths():
            if number is not None and self.playbook.number_of(path) == number:
                return self.incident(path)
        return None

    def items(self, postmortem: Postmortem) -> list[ActionItem]:
        if postmortem.path not in self._items:
            self._items[postmortem.path] = action_items(postmortem)
        return self._items[postmortem.path]
