"""`kguide check` output for tools: one JSON document for any number of guides, and SARIF 2.1.0,
which CI systems read to mark findings on the lines they are about. Paths are as the text
output prints them (relative to the working folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..errors import Problem
from .explain import RULES
from .rules import display

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


@dataclass
class Checked:
    """One guide's check: its report, or the input errors that stopped it."""

    name: str
    folder: Path
    report: object | None = None  # a ReadingReport
    errors: list[Problem] = field(default_factory=list)
    code: int = 0

    @property
    def status(self) -> str:
        return "error" if self.errors else self.report.status


def json_document(checked: list[Checked]) -> dict:
    guides = []
    for item in checked:
        entry = {
            "name": item.name,
            "folder": display(item.folder),
            "status": item.status,
            "exit_code": item.code,
        }
        if item.report is not None:
            entry |= item.report.to_dict()
        if item.errors:
            entry["errors"] = [_problem(p) for p in item.errors]
        guides.append(entry)
    return {"exit_code": max((c.code for c in checked), default=0), "guides": guides}


def _problem(p: Problem) -> dict:
    return {"file": display(p.path) if p.path else None, "line": p.line, "message": p.message}


def sarif_document(checked: list[Checked]) -> dict:
    results = []
    for item in checked:
        if item.report is not None:
            results += [
                _result(f.rule, f.severity, f.message, f.path, f.line, f.column) for f in item.report.findings
            ]
        results += [_result("input_error", "error", p.message, p.path, p.line, p.column) for p in item.errors]
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": help.title},
            "fullDescription": {"text": help.why},
            "help": {"text": help.fix},
        }
        for rule, help in RULES.items()
    ] + [{"id": "input_error", "shortDescription": {"text": "A guide file kguide cannot read."}}]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "kguide", "version": _version(), "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _result(rule: str, severity: str, message: str, path, line, column) -> dict:
    location: dict = {"artifactLocation": {"uri": Path(display(path)).as_posix() if path else "."}}
    if line:
        location["region"] = {"startLine": line} | ({"startColumn": column} if column else {})
    return {
        "ruleId": rule,
        "level": _SARIF_LEVEL.get(severity, "warning"),
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }


def _version() -> str:
    try:
        return version("kguide")
    except PackageNotFoundError:
        return "0"
