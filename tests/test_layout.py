"""The layers hold: `cadres` (wilayah, accounts, the register, and the vocabulary both apps use)
never imports `reports`; no code comment points at a document outside the repository."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_cadres_imports_nothing_from_reports():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "reports")
        for path in (ROOT / "cadres").rglob("*.py")
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_references_point_at_files_in_the_repository():
    sources = [path for folder in ("cadres", "reports", "kampungkb", "tests", "bench", "templates", "static/js")
               for path in (ROOT / folder).rglob("*") if path.suffix in (".py", ".html", ".js")]
    outside = re.compile("|".join(("CONTRACT", r"DOMAIN\.md", r"STACK\.md", r"STYLE\.md", r"\.\./shared",
                                   r"\b[Ii]ssues? #?\d")))
    this = Path(__file__).resolve()
    assert [str(path.relative_to(ROOT)) for path in sources
            if path != this and outside.search(path.read_text())] == []
    cited = {match for path in sources for match in re.findall(r"\bdocs/[a-z_]+\.md\b", path.read_text())}
    assert cited and all((ROOT / doc).exists() for doc in cited), cited
