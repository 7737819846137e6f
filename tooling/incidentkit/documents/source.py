"""A file's text exactly as written: BOM and line endings kept for byte-exact rewrites."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from incidentkit.documents.atomic import atomic_write
from incidentkit.errors import DocumentError

MAX_FILE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    bom: bool = False

    @property
    def newline(self) -> str:
        """The file's own line ending, so that inserted lines match it."""
        return "\r\n" if "\r\n" in self.text else "\n"

    def encode(self, text: str | None = None) -> bytes:
        body = (self.text if text is None else text).encode("utf-8")
        return codecs.BOM_UTF8 + body if self.bom else body

    def replaced(self, text: str) -> Source:
        return Source(self.path, text, self.bom)

    def save(self, text: str) -> Source:
        """Write ``text`` atomically in this file's encoding; return the new source."""
        atomic_write(self.path, self.encode(text))
        return self.replaced(text)


def decode(path: Path, raw: bytes) -> Source:
    """Decode ``raw`` as UTF-8 (optional BOM); DocumentError located at the bad line."""
    bom = raw.startswith(codecs.BOM_UTF8)
    if bom:
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DocumentError("binary content (NUL byte)", path=path, line=line, hint="incident files are UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocumentError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x})",
            path=path,
            line=line,
            hint="re-save the file as UTF-8",
        ) from None
    return Source(path, text, bom)


def read_source(path: Path, *, limit: int = MAX_FILE_BYTES, follow_symlinks: bool = True) -> Source:
    """Read ``path`` as a :class:`Source`; refuse files over ``limit`` bytes, and anything
    but a regular file (a FIFO would block the reader; a symbolic link, unless followed)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DocumentError("no such file", path=path) from None
    except PermissionError:
        raise DocumentError("permission denied", path=path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise DocumentError("is a symbolic link; not followed", path=path, line=1,
                                hint="copy the file into the playbook instead") from None
        raise DocumentError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise DocumentError("is a folder, not a file", path=path)
        if not stat.S_ISREG(status.st_mode):
            raise DocumentError("is not a regular file", path=path, hint="incident files are plain text files")
        raw = b""
        while status.st_size <= limit and len(raw) <= limit:  # one read for a file that does not grow meanwhile
            chunk = os.read(fd, max(status.st_size + 1 - len(raw), 1 << 16))
            if not chunk:
                break
            raw += chunk
    finally:
        os.close(fd)
    if status.st_size > limit or len(raw) > limit:
        size = max(status.st_size, len(raw))
        raise DocumentError(
            f"file too large ({size // 1024 // 1024} MiB, limit {limit // 1024 // 1024} MiB)",
            path=path,
            hint="move attachments and long logs out of the incident file",
        )
    return decode(path, raw)
