"""A page read as its parts, for what assertContains cannot say alone: in which section, row or field a text is,
and in which order rows come. Pages are parsed with Django's own test parser, the one behind
assertContains(..., html=True), never searched with regular expressions; a form's errors are read from the form
the page was rendered with."""

from collections.abc import Iterator

from django.contrib.auth.views import redirect_to_login
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.test.html import Element, parse_html


def form_errors(response: HttpResponse, name: str = "form") -> ErrorDict:
    """The errors of the form the page was rendered with, on a page answered 200 (a refused form is shown
    again, not redirected)."""
    assert response.status_code == 200, response.status_code
    return response.context[name].errors


def login_url(next_url: str) -> str:
    """Where an anonymous visitor of `next_url` is sent to log in."""
    return redirect_to_login(next_url).url


def parsed(response: HttpResponse, status_code: int = 200) -> Element:
    """The page's element tree; the status must be the one expected, so that an error page is never read."""
    assert response.status_code == status_code, (response.status_code, status_code)
    return parse_html(response.content.decode())


def fragment(markup: str) -> Element | str:
    """Markup to look for inside an element (`fragment(...) in element`), compared as assertContains(html=True)."""
    return parse_html(markup)


def descendants(node: Element) -> Iterator[Element]:
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from descendants(child)


def attribute(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def elements(node: Element, tag: str, /, **attributes: str) -> list[Element]:
    """The <tag> elements inside `node` with these attribute values; `class_` matches one of the classes."""
    wanted_class = attributes.pop("class_", None)
    return [
        element
        for element in descendants(node)
        if element.name == tag
        and all(attribute(element, key) == value for key, value in attributes.items())
        and (wanted_class is None or wanted_class in (attribute(element, "class") or "").split())
    ]


def one(found: list[Element]) -> Element:
    assert len(found) == 1, found
    return found[0]


def text_of(node: Element | str) -> str:
    """The text of an element as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    if isinstance(node, str):
        return node
    return " ".join(" ".join(text_of(child) for child in node.children).split())


def table_rows(node: Element) -> list[str]:
    """The text of each row of the tables' bodies inside `node`, in order."""
    return [
        text_of(row)
        for body in elements(node, "tbody")
        for row in body.children
        if isinstance(row, Element) and row.name == "tr"
    ]


def input_value(node: Element, name: str) -> str | None:
    """The value the one <input name=...> inside `node` shows (None: it has no value)."""
    return attribute(one(elements(node, "input", name=name)), "value")


def selected_value(node: Element, name: str) -> str | None:
    """The value of the selected option of the one <select name=...> inside `node` (None: none is selected)."""
    select = one(elements(node, "select", name=name))
    chosen = [attribute(option, "value") for option in elements(select, "option") if has_attribute(option, "selected")]
    return chosen[0] if chosen else None


def has_attribute(element: Element, name: str) -> bool:
    return name in dict(element.attributes)


def strings_of(node: Element) -> Iterator[str]:
    """Every text and every attribute value inside `node`: all a browser could show or post from it."""
    for name, value in node.attributes:
        yield name if value is None else value
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from strings_of(child)
