"""What a whole-repo check keeps of each file between runs: its parse record and verdict.

One line per file in the user cache (incidentkit.cache), under a first line
naming the code and config that made them (Context.world_key)::

    incidents/INC-0042-db.md<TAB>sha1 of its text<TAB>["parse record", "verdict"] as JSON

A run reads the lines but decodes the JSON of a file only when it reaches
that file, and only if the file's bytes are the ones recorded. So the
parent process loads 10,000 entries as 10,000 strings (not half a million
objects whose reference counts forked workers would touch, copying their
pages), each worker decodes just its own files, and an unchanged entry is
written back as the very string it was read as.
"""

from __future__ import annotations

import json
from pathlib import Path

from incidentkit.documents.atomic import atomic_write

Entry = list  # [digest, parse record | None, verdict | None]
Learnt = dict[str, "list[str] | None"]  # rel -> [digest, payload], or None: as read


class FileMemo:
    def __init__(self, path: Path | None, key: str) -> None:
        self._path, self._key = path, key
        self._read: dict[str, list[str]] | None = None  # rel -> [digest, payload]
        self._entries: dict[str, Entry] = {}  # decoded or made by this process
        self._fresh: set[str] = set()  # made or changed by this process
        self._adopted: Learnt = {}  # from worker processes

    def read(self) -> dict[str, list[str]]:
        """The entries of the last run, undecoded; {} when there are none or another code or config made them."""
        if self._read is None:
            self._read = {}
            try:
                text = self._path.read_text(encoding="utf-8") if self._path else ""
            except (OSError, UnicodeDecodeError):
                text = ""
            lines = text.split("\n")
            if lines[0] == self._key:
                for line in lines[1:]:
                    parts = line.split("\t", 2)
                    if len(parts) == 3:
                        self._read[parts[0]] = [parts[1], parts[2]]
        return self._read

    def fork(self) -> FileMemo:
        """The memo of a worker process: what was read is shared; what it decodes and makes, its own."""
        twin = FileMemo(self._path, self._key)
        twin._read = self.read()
        return twin

    def get(self, rel: str, digest: str | None) -> Entry | None:
        """The entry of the file at ``rel`` if it was made from text with this ``digest``."""
        entry = self._entries.get(rel)
        if entry is None:
            known = self.read().get(rel)
            if known is None or known[0] != digest:
                return None
            try:
                record, verdict = json.loads(known[1])
            except ValueError:
                return None
            entry = self._entries[rel] = [known[0], record, verdict]
        return entry if entry[0] == digest else None

    def put(self, rel: str, entry: Entry) -> None:
        if "\t" in rel or "\n" in rel:
            return  # a name the line format cannot hold is simply not remembered
        self._entries[rel] = entry
        self._fresh.add(rel)

    def learnt(self) -> Learnt:
        """What a worker sends back: each file it used, encoded only if it made or changed it."""
        return {rel: self._encoded(rel) if rel in self._fresh else None for rel in self._entries}

    def adopt(self, learnt: Learnt) -> None:
        self._adopted.update(learnt)

    def save(self, *, whole: bool) -> None:
        """Write the entries this run used (after a whole-repo run), else the old ones with this run's."""
        used: dict[str, list[str] | None] = {**self._adopted, **{rel: self._encoded(rel) if rel in self._fresh else None
                                                                 for rel in self._entries}}
        known = self.read()
        if not any(used.values()) and (not whole or used.keys() == known.keys()):
            return  # nothing new, nothing gone
        lines = {rel: known[rel] for rel in known} if not whole else {}
        lines.update((rel, line if line is not None else known[rel]) for rel, line in used.items() if line or rel in known)
        body = "\n".join(f"{rel}\t{digest}\t{payload}" for rel, (digest, payload) in sorted(lines.items()))
        if self._path is not None:
            try:
                atomic_write(self._path, f"{self._key}\n{body}".encode("utf-8"))
            except OSError:
                pass  # an unwritable cache only costs time

    def _encoded(self, rel: str) -> list[str]:
        digest, record, verdict = self._entries[rel]
        return [digest, json.dumps([record, verdict], separators=(",", ":"))]
