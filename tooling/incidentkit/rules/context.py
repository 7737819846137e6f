"""What the rules see: the playbook, the clock, and every file loaded once."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from incidentkit.cache import cache_dir, code_key, digest
from incidentkit.documents.actions import ActionItem, action_items
from incidentkit.documents.frontmatter import FrontMatterError
from incidentkit.documents.model import Document, Incident, Postmortem
from incidentkit.documents.snapshot import from_record, to_record
from incidentkit.lessons import LessonSource, lesson_source
from incidentkit.documents.source import Source, read_source
from incidentkit.errors import DocumentError
from incidentkit.playbook import Playbook
from incidentkit.rules.memo import FileMemo
from incidentkit.rules.memo import Learnt as MemoLearnt

if TYPE_CHECKING:
    from incidentkit.rules.secrets import SecretScanner

_MEMO = "files.memo"  # incidentkit.rules.memo

INVENTORY = "kill-switches.md"
CHECKLIST = "layer-1.md"
PLAYBOOK = "playbook.md"
LESSONS = "lessons.md"


@dataclass(frozen=True)
class IncidentFact:
    """What repo-wide rules need of an incident, small enough to send between processes."""

    drill: bool
    detected_at: datetime | None


Learnt = tuple[dict[str, list | None], MemoLearnt, dict[Path, IncidentFact], dict[Path, "LessonSource | None"]]


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
        self._listings: dict[Path, frozenset[str]] = {}
        self._paths: dict[Path, dict[str, Path]] = {}
        self._rels: dict[Path, str] = {}
        self.facts: dict[Path, IncidentFact] = {}
        self.lesson_facts: dict[Path, LessonSource | None] = {}
        self._cache: Path | None | bool = False
        self._secrets: SecretScanner | None = None
        self._digests: dict[Path, str] = {}
        self._memo: FileMemo | None = None  # parse records and verdicts of earlier runs
        self.reuse_parses = False  # whole-repo runs only: one file is quicker to parse than the cache to load

    def cache(self) -> Path | None:
        if self._cache is False:
            self._cache = cache_dir(self.playbook.root)
        return self._cache  # type: ignore[return-value]

    def secrets(self) -> SecretScanner:
        from incidentkit.rules.secrets import SecretScanner

        if self._secrets is None:
            self._secrets = SecretScanner(self.cache())
        return self._secrets

    def digest(self, path: Path) -> str | None:
        if path not in self._digests:
            source = self.source(path)
            if isinstance(source, Exception):
                return None
            self._digests[path] = digest(source.text)
        return self._digests[path]

    def world_key(self) -> str:
        """What earlier parses and verdicts were made with: this code and this config."""
        return hashlib.sha1(f"{code_key()}\n{self.config!r}".encode()).hexdigest()

    def memo(self) -> FileMemo:
        if self._memo is None:
            folder = self.cache()
            self._memo = FileMemo(folder / _MEMO if folder else None, self.world_key())
        return self._memo

    def for_worker(self) -> Context:
        """A context for a forked worker: what this one has read (listings, names, earlier
        parses, secret patterns) is shared copy-on-write; what the worker learns is its own."""
        twin = Context(self.playbook, self.now)
        twin.reuse_parses = self.reuse_parses
        twin._listings, twin._rels, twin._cache = self._listings, self._rels, self._cache
        twin._memo = self.memo().fork() if self.reuse_parses else None
        twin._secrets = self.secrets().fork()
        return twin

    def learnt(self) -> Learnt:
        """What a worker process sends back: secret scans, parses and verdicts, facts for repo-wide rules.

        What the parent already holds (an unchanged file's entry) goes back as None:
        sending everything back costs more than the parse it saves.
        """
        secrets = self._secrets.learnt() if self._secrets is not None else {}
        memo = self._memo.learnt() if self._memo is not None else {}
        return secrets, memo, self.facts, self.lesson_facts

    def adopt(self, learnt: Learnt) -> None:
        """Take in what a worker process learnt."""
        secret_results, memo, facts, lesson_facts = learnt
        if secret_results:
            self.secrets().adopt(secret_results)
        if memo:
            self.memo().adopt(memo)
        self.facts.update(facts)
        self.lesson_facts.update(lesson_facts)

    def fact(self, path: Path) -> IncidentFact | None:
        if path not in self.facts:
            self.incident(path)
        return self.facts.get(path)

    def finish(self, *, whole: bool) -> None:
        """Persist what is worth keeping between runs (secret scans, parses)."""
        if self._secrets is not None:
            self._secrets.save(keep_unused=not whole)
        if self.reuse_parses:
            self.memo().save(whole=whole)

    # --- which files -----------------------------------------------------------

    def rel(self, path: Path) -> str:
        rel = self._rels.get(path)
        if rel is None:
            try:
                rel = path.relative_to(self.playbook.root).as_posix()
            except ValueError:
                rel = path.as_posix()
            self._rels[path] = rel
        return rel

    def in_folder(self, folder: Path, name: str) -> Path | None:
        """``folder / name`` when that file exists (one listing per folder, one Path per name)."""
        paths = self._paths.get(folder)
        if paths is None:
            paths = self._paths[folder] = {}
        path = paths.get(name)
        if path is None and name in self.listing(folder):
            path = paths[name] = folder / name
        return path

    def listing(self, folder: Path) -> frozenset[str]:
        """The names in ``folder``, read once per check (a name lookup costs no stat)."""
        if folder not in self._listings:
            try:
                self._listings[folder] = frozenset(os.listdir(folder))
            except OSError:
                self._listings[folder] = frozenset()
        return self._listings[folder]

    def classify(self, path: Path) -> CheckedFile | None:
        """The kind of a playbook file, or None for files the checker ignores."""
        if path.suffix != ".md" or path.name.startswith("."):
            return None
        if path == self.playbook.root / LESSONS:
            return CheckedFile(path, LESSONS, "lessons")
        kind = self._kind_in(path.parent, path.name)
        return CheckedFile(path, self.rel(path), kind) if kind else None

    def _kind_in(self, folder: Path, name: str) -> str | None:
        """The kind of the Markdown file ``name`` in ``folder``; None outside the playbook folders."""
        if folder == self.playbook.incidents_dir:
            return "incident" if self.playbook.number_of(name) is not None else "misnamed"
        if folder == self.playbook.postmortems_dir:
            return "postmortem" if self.playbook.number_of(name) is not None else "misnamed"
        if folder == self.playbook.runbooks_dir:
            return {INVENTORY: "inventory", CHECKLIST: "checklist", PLAYBOOK: "playbook"}.get(name, "runbook")
        return None

    def discover(self) -> list[CheckedFile]:
        """Every file of the playbook the checker knows, in a stable order."""
        found = []
        root = self.playbook.root
        for folder in (self.playbook.incidents_dir, self.playbook.postmortems_dir, self.playbook.runbooks_dir):
            prefix = self.rel(folder)
            for name in sorted(self.listing(folder)):
                if name.endswith(".md") and not name.startswith("."):
                    path, rel = folder / name, f"{prefix}/{name}"
                    self._rels[path] = rel
                    self._paths.setdefault(folder, {})[name] = path  # one Path per file: hashed once
                    found.append(CheckedFile(path, rel, self._kind_in(folder, name) or "runbook"))
        if LESSONS in self.listing(root):
            found.append(CheckedFile(root / LESSONS, LESSONS, "lessons"))
        return found

    def incident_paths(self) -> list[Path]:
        if self._incident_paths is None:
            self._incident_paths = self._numbered_paths(self.playbook.incidents_dir, self.playbook.incident_names())
        return self._incident_paths

    def _numbered_paths(self, folder: Path, names: list[str]) -> list[Path]:
        return [path for path in (self.in_folder(folder, name) for name in names) if path is not None]

    # --- loading, once each -------------------------------------------------

    def source(self, path: Path) -> Source | DocumentError:
        if path not in self._sources:
            try:
                self._sources[path] = read_source(path, follow_symlinks=False)
            except DocumentError as exc:
                self._sources[path] = exc
        return self._sources[path]

    def document(self, path: Path, cls: type[Document] = Document) -> Document | DocumentError:
        if path not in self._docs:
            source = self.source(path)
            if isinstance(source, DocumentError):
                self._docs[path] = source
            elif self.reuse_parses and cls is not Document:
                self._docs[path] = self._reuse_or_parse(path, cls, source)
            else:
                try:
                    self._docs[path] = cls.from_source(source)
                except FrontMatterError as exc:
                    self._docs[path] = exc
        return self._docs[path]

    def _reuse_or_parse(self, path: Path, cls: type[Document], source: Source) -> Document | DocumentError:
        rel, key = self.rel(path), self.digest(path)
        entry = self.memo().get(rel, key)
        if entry is not None and entry[1] is not None:
            return from_record(cls, source, entry[1])
        try:
            doc = cls.from_source(source)
        except FrontMatterError as exc:
            if entry is None and key is not None:
                self.memo().put(rel, [key, None, None])
            return exc
        if entry is None and key is not None:
            self.memo().put(rel, [key, to_record(doc), None])
        return doc

    def judged(self, checked: CheckedFile) -> list | None:
        """The content rules' verdict on this file by an earlier run with the same bytes, code and config."""
        if not self.reuse_parses:
            return None
        entry = self.memo().get(checked.rel, self.digest(checked.path))
        return entry[2] if entry is not None else None

    def remember(self, checked: CheckedFile, verdict: list) -> None:
        """Keep the content rules' verdict on this file for the next run."""
        key = self.digest(checked.path)
        if self.reuse_parses and key is not None:
            entry = self.memo().get(checked.rel, key)
            self.memo().put(checked.rel, [key, entry[1] if entry is not None else None, verdict])

    def load(self, checked: CheckedFile) -> Document | DocumentError:
        """The parsed document of a checked file (its load error when it cannot be read)."""
        return self.document(checked.path, {"incident": Incident, "postmortem": Postmortem}.get(checked.kind, Document))

    def incident(self, path: Path) -> Incident | None:
        doc = self.document(path, Incident)
        if not isinstance(doc, Incident):
            return None
        if path not in self.facts:
            detected = doc.meta.get("detected_at")
            aware = detected if isinstance(detected, datetime) and detected.tzinfo is not None else None
            self.facts[path] = IncidentFact(doc.drill, aware)
        return doc

    def postmortem(self, path: Path) -> Postmortem | None:
        doc = self.document(path, Postmortem)
        return doc if isinstance(doc, Postmortem) else None

    def postmortem_for(self, incident: Incident) -> Postmortem | None:
        path = self.in_folder(self.playbook.postmortems_dir, incident.path.name)
        return self.postmortem(path) if path is not None else None

    def incident_for(self, postmortem: Postmortem) -> Incident | None:
        """The incident with the same file name, else the one its ``incident`` key names."""
        folder = self.playbook.incidents_dir
        name = self.playbook.incident_name_for(postmortem.path.name, postmortem.incident_id, self.listing(folder))
        path = self.in_folder(folder, name) if name else None
        return self.incident(path) if path is not None else None

    def lesson_source(self, path: Path) -> LessonSource | None:
        """What the post-mortem at ``path`` gives lessons.md; None when it or its incident is unreadable."""
        if path not in self.lesson_facts:
            postmortem = self.postmortem(path)
            incident = self.incident_for(postmortem) if postmortem is not None else None
            if postmortem is None or (incident is None and self.in_folder(self.playbook.incidents_dir, path.name)):
                self.lesson_facts[path] = None
            else:
                self.lesson_facts[path] = lesson_source(postmortem, incident)
        return self.lesson_facts[path]

    def load_errors(self) -> list[DocumentError]:
        """The errors of every file this context failed to read or parse, in path order."""
        return [doc for _, doc in sorted(self._docs.items()) if isinstance(doc, DocumentError)]

    def lesson_sources(self) -> list[LessonSource] | None:
        """Every post-mortem's lessons, through this context's caches; None if one is unreadable."""
        self.reuse_parses = True  # a bulk load: reuse earlier parses where the bytes are unchanged
        paths = self._numbered_paths(self.playbook.postmortems_dir, self.playbook.postmortem_names())
        sources = [self.lesson_source(path) for path in paths]
        return None if any(source is None for source in sources) else sources  # type: ignore[return-value]

    def items(self, postmortem: Postmortem) -> list[ActionItem]:
        if postmortem.path not in self._items:
            self._items[postmortem.path] = action_items(postmortem)
        return self._items[postmortem.path]


class ContentView:
    """What a content rule (``@rule(..., content=True)``) may read: its own file and the config.

    Its hits are cached with the file's bytes, so it must not see the clock or
    another file; asking for anything else raises, and the rule's tests fail.
    """

    __slots__ = ("_ctx", "_checked", "config", "playbook")

    def __init__(self, ctx: Context, checked: CheckedFile) -> None:
        self._ctx, self._checked = ctx, checked
        self.config, self.playbook = ctx.config, ctx.playbook

    def rel(self, path: Path) -> str:
        return self._ctx.rel(path)

    def source(self, path: Path) -> Source | DocumentError:
        return self._ctx.source(self._own(path))

    def load(self, checked: CheckedFile) -> Document | DocumentError:
        self._own(checked.path)
        return self._ctx.load(checked)

    def items(self, postmortem: Postmortem) -> list[ActionItem]:
        self._own(postmortem.path)
        return self._ctx.items(postmortem)

    def _own(self, path: Path) -> Path:
        if path != self._checked.path:
            raise AttributeError(f"a content rule read {path}, which is not its file {self._checked.rel}")
        return path

    def __getattr__(self, name: str) -> object:
        raise AttributeError(f"a content rule cannot read ctx.{name}: it would be cached with the file's bytes; "
                             "drop content=True from its @rule")
