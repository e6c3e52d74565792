"""The package's layers (lib/beichen/__init__.py LAYERS, SIBLINGS): every import of lib/beichen/, at
module level or inside a function, goes to its own package, a lower layer or an allowed sibling."""
import ast
import textwrap
from pathlib import Path

from beichen import LAYERS, SIBLINGS
from beichen.paths import REPO_ROOT

LIB = REPO_ROOT / "lib" / "beichen"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Nodes under `if TYPE_CHECKING:` (never run, so no dependency at run time)."""
    return {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
            for n in ast.walk(node)}


def imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the package in `path`, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    rel = path.relative_to(root.parent).with_suffix("").parts
    package = rel[:-1]  # an __init__.py's package is its folder, as any module's
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ((base,) if base else ()))
            # `from beichen import journal` imports the module beichen.journal; `from x.y import name` x.y
            found += [(node.lineno, f"{base}.{alias.name}" if base == root.name or not node.module else base)
                      for alias in node.names]
    return list(dict.fromkeys((line, m) for line, m in found if m.split(".")[0] == root.name))


def package_of(module: str, root: Path) -> str:
    """The package a module name belongs to: `core` for the modules directly in the root."""
    parts = module.split(".")
    if len(parts) > 1 and (root / parts[1]).is_dir():
        return parts[1]
    return "core"


def crossings(root: Path, layers: dict[str, int], siblings: set[tuple[str, str]]) -> list[str]:
    """Every import of the package at `root` that goes up a layer or to a sibling not allowed, as
    “file:line importer → imported (module)”; a package with no layer is one too."""
    layer = {"core": 0, **layers}
    found = [f"{p.relative_to(root.parent)}: package {p.name} has no layer in LAYERS"
             for p in sorted(root.iterdir()) if p.is_dir() and p.name not in layer and p.name != "__pycache__"]
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        source = rel.parts[0] if len(rel.parts) > 1 else "core"
        for line, module in imports(path, root):
            target = package_of(module, root)
            if target == source or source not in layer or target not in layer:
                continue
            up = layer[target] > layer[source]
            sibling = layer[target] == layer[source] and (source, target) not in siblings
            if up or sibling:
                found.append(f"{path.relative_to(root.parent)}:{line} {source} → {target} ({module})")
    return found


def test_every_import_keeps_to_the_layers():
    problems = crossings(LIB, LAYERS, SIBLINGS)
    assert not problems, "imports against the layers (lib/beichen/__init__.py):\n" + "\n".join(problems)


def test_every_package_has_a_layer_and_the_core_is_only_modules():
    packages = {p.name for p in LIB.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages == set(LAYERS)
    # the brief's order: inputs < model < audit, render < the outputs < publish
    assert LAYERS["inputs"] < LAYERS["model"] < LAYERS["render"] == LAYERS["audit"] < LAYERS["site"] < LAYERS["publish"]


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


LOW_HIGH = {"low": 1, "mid": 2, "high": 3, "side": 3}


def test_the_checker_finds_a_planted_crossing(tmp_path):
    """A tree with one import of each kind; expected lines counted by hand from the texts below."""
    root = _tree(tmp_path, {
        "__init__.py": "",
        "base.py": "import os\n",
        "low/__init__.py": "",
        "low/a.py": "from pkg import base\nimport pkg.mid.b\n",                  # line 2: up, module level
        "mid/__init__.py": "",
        "mid/b.py": "from pkg.low import a\n\ndef f():\n    from ..high import c\n",  # line 4: up, in a function, relative
        "high/__init__.py": "",
        "high/c.py": "from pkg.mid.b import f\nfrom pkg.side import d\n",       # line 2: a sibling not allowed
        "side/__init__.py": "",
        "side/d.py": ("from typing import TYPE_CHECKING\nfrom pkg.high import c\n"  # line 2: allowed sibling
                      "if TYPE_CHECKING:\n    from pkg.high import c\n"),
        "odd/__init__.py": "",
    })
    found = crossings(root, {**LOW_HIGH}, {("side", "high")})
    assert found == ["pkg/odd: package odd has no layer in LAYERS",
                     "pkg/high/c.py:2 high → side (pkg.side)",
                     "pkg/low/a.py:2 low → mid (pkg.mid.b)",
                     "pkg/mid/b.py:4 mid → high (pkg.high)"]


def test_the_checker_reads_core_importing_a_package(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "", "lock.py": "def f():\n    from pkg.low.j import recover\n",
                            "low/__init__.py": "", "low/j.py": ""})
    assert crossings(root, {"low": 1}, set()) == ["pkg/lock.py:2 core → low (pkg.low.j)"]
