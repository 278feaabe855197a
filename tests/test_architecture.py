"""The layout holds: imports point one way, no cycles, small modules, thin edges.

docs/architecture.md draws the layers this test enforces.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "chalicelib"
# Lower layers never import higher ones; product packages never import each other.
LAYERS = {"kernel": 0, "i18n": 1, "web": 2, "catalog": 3, "composition": 5, "snapstart": 5}
PRODUCTS = {"storefront", "admin", "cart", "tradein"}
MAX_LINES = 300
# Where Chalice and boto3 may be imported: the edges, never the domain.
CHALICE_ALLOWED = {"chalicelib.web.routing", "chalicelib.composition"}
BOTO_ALLOWED = {
    "chalicelib.kernel.aws",
    "chalicelib.catalog.repository",
    "chalicelib.catalog.calls",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Every module an import statement of the file names (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def internal_imports(name: str) -> set[str]:
    return {m for m in imports_of(MODULES[name]) if m in MODULES and m != name}


def area(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(name: str) -> int:
    return 4 if area(name) in PRODUCTS else LAYERS[area(name)]


def test_every_module_belongs_to_a_known_area():
    unknown = {
        name for name in MODULES if name != "chalicelib" and area(name) not in {*LAYERS, *PRODUCTS}
    }
    assert not unknown


@pytest.mark.parametrize("name", [n for n in MODULES if n != "chalicelib"])
def test_imports_point_down_the_layers(name):
    for target in internal_imports(name):
        if target == "chalicelib":
            continue
        assert rank(target) <= rank(name), f"{name} imports {target}, a higher layer"
        if area(name) in PRODUCTS and area(target) in PRODUCTS:
            assert area(target) == area(name), f"{name} imports another product: {target}"


def test_there_are_no_import_cycles():
    graph = {name: internal_imports(name) for name in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError(" -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_chalice_and_boto3_stay_at_the_edges(name):
    imported = {m.split(".")[0] for m in imports_of(MODULES[name])}
    if "chalice" in imported:
        assert name in CHALICE_ALLOWED or name.endswith(".routes"), name
    if imported & {"boto3", "botocore"}:
        assert name in BOTO_ALLOWED, name


def test_no_module_is_long():
    paths = [*PACKAGE.rglob("*.py"), *(ROOT / "tools").glob("*.py"), ROOT / "app.py"]
    long = {
        str(p.relative_to(ROOT)): n
        for p in paths
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long


def test_app_py_only_wires():
    tree = ast.parse((ROOT / "app.py").read_text())
    statements = [type(node).__name__ for node in tree.body]
    assert statements == ["Expr", "ImportFrom", "Assign"]  # docstring, import, app = create_app()
