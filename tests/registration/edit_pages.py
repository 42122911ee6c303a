"""A profile section's edit page, read and posted as a browser does: every field the form shows, with its value."""

from django.test import Client as Browser
from django.urls import reverse

from tests.wizard import descendants, element_text, elements, has_attributes, input_value


def edit_url(client, section: str) -> str:
    return reverse("registration:section-edit", kwargs={"code": client.code, "section": section})


def detail_url(client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def opened_version(browser: Browser, client, section: str) -> str:
    """The version of the section its edit page opens on now, as the page carries it ("" where it does not open)."""
    page = browser.get(edit_url(client, section))
    return (input_value(page, "opened_version") or "") if page.status_code == 200 else ""


def edit_post(browser: Browser, client, section: str, data: dict):
    """Press Update on the section's edit page, opened just before, with `data` typed in it."""
    return browser.post(edit_url(client, section), {**data, "opened_version": opened_version(browser, client, section)})


def form_of(page) -> dict[str, list[str]]:
    """What the page's edit form posts as it stands, as a browser sends it."""
    assert page.status_code == 200, page.status_code
    return posted_by(edit_form(page))


def posted_by(form) -> dict[str, list[str]]:
    """What a form posts as it stands, as a browser sends it: every named field with its value, ticked boxes only,
    the selected options (a single select with none selected sends its first)."""
    data: dict[str, list[str]] = {}
    for element in fields_sent(form):
        attributes = dict(element.attributes)
        name = attributes.get("name")
        if not name or "disabled" in attributes:
            continue
        if element.name == "input":
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                continue
            data.setdefault(name, []).append(attributes.get("value", "on" if kind == "checkbox" else ""))
        elif element.name == "select":
            options = [option for option in descendants(element) if option.name == "option"]
            chosen = [option for option in options if has_attributes(option, {"selected": None})]
            if not chosen and options and "multiple" not in attributes:
                chosen = options[:1]
            for option in chosen:
                data.setdefault(name, []).append(dict(option.attributes).get("value", element_text(option)))
        elif element.name == "textarea":
            data.setdefault(name, []).append(element_text(element))
    return data


def options_of(page) -> dict[str, list[str]]:
    """What each field of the page's form can be set to: a drop-down's options (but the empty one), a box's or a
    radio button's values; a text field, nothing."""
    options: dict[str, list[str]] = {}
    for element in fields_sent(edit_form(page)):
        attributes = dict(element.attributes)
        name = attributes.get("name")
        if not name or "disabled" in attributes:
            continue
        listed = options.setdefault(name, [])
        if element.name == "select":
            for option in descendants(element):
                value = dict(option.attributes).get("value", "") if option.name == "option" else ""
                if value:
                    listed.append(value)
        elif element.name == "input" and attributes.get("type") in ("checkbox", "radio"):
            listed.append(attributes.get("value", "on"))
    return options


def edit_form(page):
    """The edit form (the page has others: the logout button's)."""
    return next(
        form
        for form in elements(page, "form", method="post")
        if any(
            element.name == "input" and has_attributes(element, {"name": "opened_version"})
            for element in descendants(form)
        )
    )


def fields_sent(element):
    """The elements of a form a browser sends: none inside a <template> (the empty row [+] copies)."""
    for child in element.children:
        if isinstance(child, str) or child.name == "template":
            continue
        yield child
        yield from fields_sent(child)


class Editor:
    """One open edit page: the browser of a person, or one tab of it."""

    def __init__(self, browser: Browser, client, section: str) -> None:
        self.browser = browser
        self.url = edit_url(client, section)
        page = browser.get(self.url)
        self.data = form_of(page)
        self.options = options_of(page)

    def type(self, **values: str) -> "Editor":
        for name, value in values.items():
            self.data[name] = [value]
        return self

    def save(self, button: str | None = None):
        data = dict(self.data)
        if button:
            data["resolve"] = [button]
        response = self.browser.post(self.url, data)
        if response.status_code == 200:  # the page again: what it now shows is what the next save sends
            self.data = form_of(response)
            self.options = options_of(response)
        return response
