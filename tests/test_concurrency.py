"""Two writers lose no entry; a writer killed mid-write leaves the previous version intact."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from incidentkit.documents.model import Incident

APPENDER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from incidentkit.playbook import Playbook
    from incidentkit.record import log
    root, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    playbook = Playbook.open(root)
    incident = playbook.resolve("1")
    for i in range(count):
        incident = log(playbook, incident, f"{name} entry {i}", datetime.now(timezone.utc))
""")


def entries(path: Path) -> list[str]:
    return re.findall(r"^- .* — (\w+ entry \d+)$", Incident.read(path).section_text("Timeline"), re.M)


def test_two_processes_appending_500_entries_each_lose_none(playbook: Path, incident) -> None:
    path = playbook / incident("new", "Busy incident", check=True).stdout.strip()
    writers = [subprocess.Popen([sys.executable, "-c", APPENDER, str(playbook), name, "500"]) for name in ("alpha", "beta")]
    for writer in writers:
        assert writer.wait(timeout=600) == 0
    found = entries(path)
    assert len(found) == 1000
    for name in ("alpha", "beta"):
        mine = [e for e in found if e.startswith(name)]
        assert mine == [f"{name} entry {i}" for i in range(500)]  # each writer's own order kept too


def test_a_killed_writer_leaves_a_whole_file(playbook: Path, incident) -> None:
    path = playbook / incident("new", "Killed writer", check=True).stdout.strip()
    for round_number, delay in enumerate((0.35, 0.5, 0.65, 0.8, 0.95)):
        writer = subprocess.Popen([sys.executable, "-c", APPENDER, str(playbook), f"w{round_number}", "100000"])
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        found = entries(path)  # parses: the file is a whole version, never a torn one
        mine = [e for e in found if e.startswith(f"w{round_number} ")]
        assert mine == [f"w{round_number} entry {i}" for i in range(len(mine))]
        assert Incident.read(path).status == "open"
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    # a SIGKILL between writing the temp file and renaming it can leave one temp file; never a torn target
    assert len(leftovers) <= 5
