"""Atomic writes and id allocation under real concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from incidentkit.documents import atomic
from incidentkit.documents.atomic import atomic_write, create_exclusive
from incidentkit.errors import DocumentError

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from incidentkit.documents.atomic import atomic_write
    path = Path(sys.argv[1])
    a, b = b"A" * 300_000, b"B" * 500_000
    for i in range(200):
        atomic_write(path, a if i % 2 else b)
    """
)


def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "INC-0001.md"
    path.write_bytes(b"A" * 300_000)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
    reads = 0
    try:
        while writer.poll() is None:
            data = path.read_bytes()
            assert data in (b"A" * 300_000, b"B" * 500_000), len(data)
            reads += 1
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert reads > 10
    assert [p.name for p in tmp_path.iterdir()] == ["INC-0001.md"]  # no temp file left behind


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "INC-0001.md"
    path.write_bytes(b"before")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(path, b"after, but the disk is full")
    assert path.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["INC-0001.md"]


def test_atomic_write_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"1")
    path.chmod(0o600)
    atomic_write(path, b"2")
    assert (path.read_bytes(), path.stat().st_mode & 0o777) == (b"2", 0o600)


def test_create_exclusive_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    assert create_exclusive(path, b"first") is True
    assert create_exclusive(path, b"second") is False
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_create_in_a_missing_folder_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        create_exclusive(tmp_path / "nope" / "x.md", b"x")
    assert caught.value.path == tmp_path / "nope"


ALLOCATOR = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from incidentkit.playbook import Playbook
    from incidentkit.record import new_incident
    root, start_at, name = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    playbook = Playbook.open(root)
    while time.time() < start_at:
        pass
    for i in range(15):
        new_incident(playbook, f"{name} {i}", at=datetime.now(timezone.utc))
    """
)


def test_two_processes_allocating_ids_at_once_never_share_one(playbook: Path) -> None:
    start_at = str(time.time() + 1.5)  # both spin until the same instant, then race
    procs = [
        subprocess.Popen([sys.executable, "-c", ALLOCATOR, str(playbook), start_at, name], env={**os.environ})
        for name in ("alpha", "beta")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    names = sorted(p.name for p in (playbook / "incidents").glob("*.md"))
    numbers = sorted(int(n.split("-")[1]) for n in names)
    assert numbers == list(range(1, 31)), names
    assert sum("alpha" in n for n in names) == sum("beta" in n for n in names) == 15
