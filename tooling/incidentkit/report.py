"""Reporters of a check result, chosen by name: text, github (workflow annotations), json."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from incidentkit.rules import CheckResult

FORMATS = ("text", "github", "json")
_STYLES = {"error": "\x1b[31m", "warning": "\x1b[33m", "bold": "\x1b[1m", "dim": "\x1b[2m", "reset": "\x1b[0m"}


def use_color(choice: str, is_tty: bool, environ: dict[str, str] | None = None) -> bool:
    """--color auto|always|never; auto honours NO_COLOR and colours only a terminal."""
    env = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never":
        return False
    return is_tty and not env.get("NO_COLOR") and env.get("TERM") != "dumb"


def text(result: CheckResult, *, color: bool = False, show_path: Callable[[str], str] = str) -> str:
    def paint(value: str, style: str) -> str:
        return f"{_STYLES[style]}{value}{_STYLES['reset']}" if color else value

    lines = []
    for f in result.findings:
        where = paint(f"{show_path(f.path)}:{f.line}:{f.column}:", "bold")
        lines.append(f"{where} {paint(f.code, f.severity)} {paint(f.severity + ':', f.severity)} {f.message}")
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult) -> str:
    """One workflow command per finding: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for f in result.findings:
        command = "error" if f.severity == "error" else "warning"
        props = f"file={_escape_property(f.path)},line={f.line},col={f.column},title={_escape_property(f.code)}"
        lines.append(f"::{command} {props}::{_escape_data(f.message)}")
    return "\n".join(lines)


def github_summary(result: CheckResult) -> str:
    """A Markdown job summary: GitHub shows at most 10 annotations per step, this shows all."""
    if not result.findings:
        return f"### incident check\n\n{_files(result)} checked, no findings.\n"
    rows = [f"| `{f.path}:{f.line}` | {f.code} | {f.severity} | {_cell(f.message)} |" for f in result.findings]
    return (
        f"### incident check\n\n{result.errors} errors, {result.warnings} warnings in {_files(result)}.\n\n"
        "| where | code | severity | message |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def as_json(result: CheckResult) -> str:
    return json.dumps([f.as_dict() for f in result.findings], indent=2, ensure_ascii=False)


def summary_line(result: CheckResult) -> str:
    if not result.findings:
        return f"incident check: {_files(result)}, no findings"
    return f"incident check: {result.errors} error(s), {result.warnings} warning(s) in {_files(result)}"


def _files(result: CheckResult) -> str:
    return "1 file" if result.files == 1 else f"{result.files} files"

