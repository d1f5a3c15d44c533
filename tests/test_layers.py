"""The package's shape: modules import only from layers below their own (no import back up),
and no module grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import kguide

PACKAGE = Path(kguide.__file__).resolve().parent

# Lowest first. A module may import from its own layer and those before it.
LAYERS = [
    {"__init__", "errors", "text", "inputs", "limits", "offline", "locale"},
    {"config"},
    {"configfile", "model"},
    {"scan", "markdown"},
    {"loader", "readability", "starter"},
    {
        "narration",
        "listen",
        "booklet",
        "tagging",
        "uacheck",
        "imposition",
        "booklet_cache",
        "booklet_pool",
        "pagefill",
        "web",
        "epub",
        "ownership",
    },
    {"build", "manifest"},
    {"serve"},
    {"cli", "__main__", "console"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _top(module: Path) -> str:
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(module: Path) -> set[str]:
    """The kguide modules (by their top-level name in the package) that `module` imports."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    depth = len(module.relative_to(PACKAGE).parts) - 1
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            up = node.level - 1
            if up > depth:
                continue
            base = module.relative_to(PACKAGE).parts[: depth - up]
            target = (*base, *(node.module.split(".") if node.module else ()))
            names = [target[0]] if target else [alias.name for alias in node.names]
            found |= set(names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kguide."):
            found.add(node.module.split(".")[1])
    return found


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for module in sorted(PACKAGE.rglob("*.py")):
        own = _top(module)
        assert own in RANK, f"{own} has no layer in LAYERS: add it"
        for name in _imports(module):
            if name in RANK and RANK[name] > RANK[own]:
                wrong.append(f"{module.relative_to(PACKAGE)} imports {name}")
    assert not wrong, wrong


def test_every_module_is_under_400_lines():
    long = {
        str(m.relative_to(PACKAGE)): n
        for m in PACKAGE.rglob("*.py")
        if (n := len(m.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, long
