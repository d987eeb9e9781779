"""The shape of reports.piano: the workbook and the PDF share the read API and the blocks but not each other, the
layout hash covers every module of the package, and no module of reports is over 500 lines."""

import ast
from pathlib import Path

import reports
from reports.piano import fingerprint

REPORTS = Path(reports.__file__).resolve().parent
PIANO = REPORTS / "piano"


def _imports(path: Path) -> set[str]:
    """The modules a file imports (relative imports resolved to reports.piano.…)."""
    package = ".".join(path.relative_to(REPORTS.parent).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            out |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
    return out


def test_workbook_and_pdf_do_not_import_each_other():
    for path in (PIANO / "xlsx").glob("*.py"):
        imported = _imports(path)
        assert not any(m.startswith(("reports.piano.pdf", "reports.piano.document")) for m in imported), path.name
        assert not any(m.startswith("reports.piano.chapters") for m in imported), path.name
    for path in [PIANO / "pdf.py", PIANO / "document.py", *(PIANO / "chapters").glob("*.py")]:
        assert not any(m.startswith("reports.piano.xlsx") for m in _imports(path)), path.name


def test_layout_hash_covers_every_module_of_the_package():
    hashed = set(fingerprint._code_files())
    modules = set(PIANO.rglob("*.py"))
    assert len(modules) > 20
    assert modules <= hashed


def test_no_module_of_reports_is_over_500_lines():
    for path in REPORTS.rglob("*.py"):
        if "migrations" not in path.parts:
            assert len(path.read_text().splitlines()) <= 500, path
