"""Print which of the project's packages import which, and how often.

    python tools/import_matrix.py            # the matrix, then the cycles between packages
    python tools/import_matrix.py --list     # every import that crosses packages, one per line

A row is the importing package, a column the imported one; a cell counts the import
statements (module level and inside functions alike) found by reading the source with
:mod:`ast`. Tests, benchmarks, migrations and this folder are not counted: the rules of
the house plan are about the portal's own code. The order of the rows is the intended
layering, top to bottom (``ntm_portal`` may import every package below it, ``core``
none), so a count above the diagonal is an import against the layers, and every
cycle is printed by name. The contracts that CI enforces are in ``pyproject.toml``
(``[tool.importlinter]``); this script only measures.
"""

import argparse
import ast
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The intended layers, top to bottom; the packages of one layer may not import each other
# (but for the arrows declared in pyproject.toml).
LAYERS = [["ntm_portal"], ["criteria", "directives", "funding"], ["accounts"], ["communes"], ["core"]]
PACKAGES = [package for layer in LAYERS for package in layer]
LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}
SKIPPED_PARTS = {"migrations", "tests", "__pycache__"}


def imported_packages(path: Path) -> list[tuple[str, int]]:
    """The project packages ``path`` imports, with the line of each import statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in PACKAGES:
                found.append((top, node.lineno))
    return found


def crossing_imports() -> list[tuple[str, str, str, int]]:
    """Every import from one project package into another: (importer, imported, file, line)."""
    rows = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            if SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
                continue
            for imported, line in imported_packages(path):
                if imported != package:
                    rows.append((package, imported, str(path.relative_to(ROOT)), line))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list every crossing import")
    args = parser.parse_args()
    rows = crossing_imports()
    if args.list:
        for importer, imported, path, line in rows:
            print(f"{importer} -> {imported}  {path}:{line}")
        return 0
    counts = Counter((importer, imported) for importer, imported, _path, _line in rows)
    present = [package for package in PACKAGES if (ROOT / package).is_dir()]
    width = max(len(name) for name in present)
    print("importer \\ imported".ljust(width + 2) + "".join(name[:10].rjust(11) for name in present))
    for importer in present:
        cells = [
            "." if importer == imported else str(counts.get((importer, imported), 0) or "")
            for imported in present
        ]
        print(importer.ljust(width + 2) + "".join(cell.rjust(11) for cell in cells))
    up = sum(count for (a, b), count in counts.items() if LAYER_OF[a] > LAYER_OF[b])
    sideways = sum(count for (a, b), count in counts.items() if LAYER_OF[a] == LAYER_OF[b])
    print(
        f"\n{len(rows)} crossing imports: {up} point up, against the layers; {sideways} between packages of one layer."
    )
    cycles = [(a, b) for a, b in combinations(present, 2) if counts.get((a, b)) and counts.get((b, a))]
    for a, b in cycles:
        print(f"cycle: {a} <-> {b} ({counts[(a, b)]} and {counts[(b, a)]} imports)")
    if not cycles:
        print("No two packages import each other.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
