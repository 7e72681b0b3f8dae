"""The layering of bot/: no module imports from a layer above its own; bot/ never imports the mock.

Layers, bottom to top: errors < domain < settings < evidence < pages < browser < steps < engine
< commands < cli. A module may import its own layer or any lower one; bot/__init__.py is
neutral. Every `import` and `from … import` counts, wherever it is (inside functions and
`if TYPE_CHECKING:` blocks too), as do `importlib.import_module("…")` and `__import__("…")`
with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"

LAYERS = (
    "errors",
    "domain",
    "settings",
    "evidence",
    "pages",
    "browser",
    "steps",
    "engine",
    "commands",
    "cli",
)
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}
# bot/<first part of the path> -> its layer (None: neutral)
LAYER_OF_PART = {
    "errors.py": "errors",
    "domain": "domain",
    "settings.py": "settings",
    "evidence": "evidence",
    "pages": "pages",
    "browser": "browser",
    "steps": "steps",
    "engine": "engine",
    "commands": "commands",
    "web": "commands",
    "cli.py": "cli",
    "__main__.py": "cli",
    "__init__.py": None,
}


def bot_modules() -> dict[str, Path]:
    """Every module under bot/ by its dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(BOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = bot_modules()


def layer_of_path(path: Path) -> str | None:
    """The layer of a module under bot/ (None: neutral, or in no layer yet)."""
    return LAYER_OF_PART.get(path.relative_to(BOT).parts[0])


def layer_of_module(name: str) -> str | None:
    """The layer of an imported bot module (its longest known prefix; a name in a package)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return layer_of_path(MODULES[candidate])
        parts.pop()
    return None


def imported_names(
    module: str, tree: ast.AST, *, is_package: bool = False
) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything `module` imports, relative imports made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from bot import errors` imports the module bot.errors, `from bot import X` bot
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            if len(submodules) < len(node.names):
                yield node.lineno, base
            for submodule in submodules:
                yield node.lineno, submodule
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                called in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield node.lineno, first.value


def all_imports() -> Iterator[tuple[str, int, str]]:
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for line, name in imported_names(module, tree, is_package=is_package):
            yield module, line, name


def test_every_bot_module_is_in_a_layer() -> None:
    unplaced = sorted(
        str(path.relative_to(ROOT))
        for path in MODULES.values()
        if path.relative_to(BOT).parts[0] not in LAYER_OF_PART
    )
    assert not unplaced, f"in no layer (add them to LAYER_OF_PART): {unplaced}"


def test_no_module_imports_one_from_a_layer_above_it() -> None:
    offending = set()
    for module, line, name in all_imports():
        own = layer_of_path(MODULES[module])
        target = layer_of_module(name)
        if own is None or target is None:
            continue
        if RANK[target] > RANK[own]:
            offending.add(f"{module} ({own}) imports {name} ({target}) at line {line}")
    assert not offending, (
        f"{len(offending)} import(s) go up the layers "
        f"({' < '.join(LAYERS)}):\n" + "\n".join(sorted(offending))
    )


def test_bot_never_imports_the_mock_portal() -> None:
    offending = sorted(
        f"{module} imports {name} at line {line}"
        for module, line, name in all_imports()
        if name == "mock_portal" or name.startswith("mock_portal.")
    )
    assert not offending, "bot/ must not import mock_portal:\n" + "\n".join(offending)


def test_the_import_finder_sees_every_form() -> None:
    """The finder itself: absolute, relative, in a function, dynamic, `from package import mod`."""
    source = """
import mock_portal.app as app
from . import errors
from ..engine import runner
def later():
    from bot.cli import main
    import importlib
    importlib.import_module("mock_portal.demo")
    __import__("bot.commands.batch")
from bot import settings
"""
    names = {name for _, name in imported_names("bot.steps.workflow", ast.parse(source))}
    assert {
        "mock_portal.app",
        "bot.steps",
        "bot.engine.runner",
        "bot.cli",
        "importlib",
        "mock_portal.demo",
        "bot.commands.batch",
        "bot.settings",
    } <= names
    package = {name for _, name in imported_names("bot.steps", ast.parse(source), is_package=True)}
    assert {"bot.steps", "bot.engine.runner"} <= package  # `.` of a package is itself
    assert layer_of_module("bot.engine.runner") == "engine"
    assert layer_of_module("bot.settings") == "settings"
    assert layer_of_module("bot.domain.no_such_module") == "domain"
    assert layer_of_module("bot") is None
