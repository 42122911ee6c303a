"""My Tasks: the page every staff member lands on."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db


class NavParser(HTMLParser):
    """The links and the text of the main menu (the sidebar <nav>)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Main menu":
            self.depth = 1
        elif self.depth and tag == "nav":
            self.depth += 1
        elif self.depth and tag == "a":
            self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1
        elif tag == "a":
            self._href = None

    def handle_data(self, data):
        if self.depth and data.strip():
            self.text.append(data.strip())
            if self._href is not None:
                self.links.append((data.strip(), self._href))


def main_menu(response) -> NavParser:
    assert response.status_code == 200
    parser = NavParser()
    parser.feed(response.content.decode())
    return parser


def test_it_shows_the_my_tasks_links_in_the_sidebar(caseworker_client):
    links = main_menu(caseworker_client.get("/")).links
    assert ("Register New Client", reverse("registration:register-start")) in links
    assert ("Find Client", reverse("clients:client-find")) in links


@pytest.mark.parametrize(
    ("persona", "role"),
    [("caseworker", "Caseworker"), ("coordinator", "Agency Coordinator"), ("manager", "Manager")],
)
def test_it_shows_who_is_logged_in_their_agency_and_role(persona, role, request, client):
    profile = request.getfixturevalue(persona)
    profile.user.first_name, profile.user.last_name = "Amara", "Okonkwo"
    profile.user.save()
    client.force_login(profile.user)

    text = main_menu(client.get("/")).text

    assert "Amara Okonkwo" in text
    assert "Maple Test Agency" in text
    assert role in text


def test_it_sends_anonymous_users_to_the_login_page(client):
    response = client.get("/")

    assertRedirects(response, f"{reverse('login')}?next=/")


def test_it_switches_the_page_to_french(caseworker_client):
    response = caseworker_client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)

    assertRedirects(response, "/")
    assertContains(response, '<html lang="fr">')
    assertContains(
        response,
        '<button class="btn btn-light" name="language" value="fr" lang="fr" aria-pressed="true"'
        ' aria-describedby="language-switch-caption">Français</button>',
        html=True,
    )
    assertContains(
        response,
        '<button class="btn btn-outline-light" name="language" value="en" lang="en" aria-pressed="false"'
        ' aria-describedby="language-switch-caption">English</button>',
        html=True,
    )
