"""The apps import one way only: agencies ← clients ← families ← registration ← reports ← demo (design.md).

Read from the sources, not from what happens to be imported: every Python module's imports, every template's
{% load %} of a tag library and the templates it includes or extends, and every migration's dependencies. A
module may use its own app and the apps before it; never one after it.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LAYERS = ["agencies", "clients", "families", "registration", "reports", "demo"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def modules_of(app: str) -> list[Path]:
    return sorted(path for path in (BASE / app).rglob("*.py") if "migrations" not in path.parts)


def imported_apps(path: Path) -> set[str]:
    """The project's apps a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def violations_of(app: str, used: set[str]) -> set[str]:
    return {other for other in used if RANK[other] > RANK[app]}


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_imports_an_app_after_its_own(app):
    wrong = {}
    for path in modules_of(app):
        later = violations_of(app, imported_apps(path))
        if later:
            wrong[str(path.relative_to(BASE))] = sorted(later)

    assert modules_of(app), f"{app} has no modules: the check read nothing"
    assert wrong == {}


def library_apps() -> dict[str, str]:
    from django.template.backends.django import get_installed_libraries

    return {name: module.split(".")[0] for name, module in get_installed_libraries().items()}


def template_app(path: Path) -> str:
    """The app a template belongs to: templates/<app>/..., or the lowest app for the project's own (base.html)."""
    relative = path.relative_to(BASE / "templates")
    return relative.parts[0] if len(relative.parts) > 1 and relative.parts[0] in RANK else LAYERS[0]


def test_no_template_loads_a_tag_library_of_an_app_after_its_own():
    libraries = library_apps()
    wrong = {}
    templates = sorted((BASE / "templates").rglob("*.html"))
    for path in templates:
        text = path.read_text(encoding="utf-8")
        loads = {name for match in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", text) for name in match.split()}
        used = {libraries[name] for name in loads if name in libraries} & set(LAYERS)
        later = violations_of(template_app(path), used)
        if later:
            wrong[str(path.relative_to(BASE))] = sorted(later)

    assert len(templates) > 50
    assert {"ocms_forms", "ocms_format"} <= set(libraries)
    assert wrong == {}


def named_templates(text: str) -> set[str]:
    """The templates a template includes or extends by a literal name."""
    return set(re.findall(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""", text))


def test_no_template_includes_or_extends_a_template_of_an_app_after_its_own():
    wrong, seen = {}, 0
    for path in sorted((BASE / "templates").rglob("*.html")):
        names = named_templates(path.read_text(encoding="utf-8"))
        seen += len(names)
        used = {template_app(BASE / "templates" / name) for name in names}
        later = violations_of(template_app(path), used)
        if later:
            wrong[str(path.relative_to(BASE))] = sorted(later)

    assert seen > 50
    assert wrong == {}


def test_the_template_check_would_see_an_include_against_the_direction():
    text = '{% extends "base.html" %}{% include "reports/_receipt_print.html" with client=client %}'

    names = named_templates(text)

    assert names == {"base.html", "reports/_receipt_print.html"}
    assert violations_of("clients", {template_app(BASE / "templates" / name) for name in names}) == {"reports"}


def migration_dependencies(app: str) -> set[str]:
    found = set()
    for path in (BASE / app / "migrations").glob("0*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
                continue
            if all(isinstance(element, ast.Constant) for element in node.elts):
                label, name = (element.value for element in node.elts)
                if label in RANK and re.match(r"^\d{4}_", str(name)):
                    found.add(label)
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_no_migration_depends_on_an_app_after_its_own(app):
    assert violations_of(app, migration_dependencies(app)) == set()


def test_the_check_would_see_an_import_against_the_direction(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text("from registration.steps import STEPS\n\ndef f():\n    import reports.pdf\n", encoding="utf-8")

    assert violations_of("clients", imported_apps(module)) == {"registration", "reports"}
