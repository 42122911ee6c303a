"""The sections of a named client's profile: their names, titles and headings, in the help article's order.

The wizard takes them as its steps (registration/steps.py says which forms make each one), the profile
shows them, and the rules (clients/rules.py) say in which one each field is fixed.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class SectionName(StrEnum):
    PRIVACY = "privacy"
    PRIMARY = "primary"
    IMMIGRATION = "immigration"
    IDENTIFICATION = "identification"
    CONTACT = "contact"
    EMPLOYMENT = "employment"
    LANGUAGE = "language"
    SENSITIVE = "sensitive"
    CONSENT = "consent"
    SUMMARY = "summary"


@dataclass(frozen=True)
class Section:
    name: SectionName
    title: str | Promise  # what a step pill and a link say
    headings: tuple[str | Promise, ...]  # the article's headings of what the section holds
    editable: bool = True  # on a saved profile, with the section's Edit button

    @property
    def heading(self) -> str | Promise:
        return self.headings[0]

    @property
    def profile_template(self) -> str:
        """What the profile page shows of the section."""
        return f"clients/profile/_{self.name}.html"


SECTIONS: tuple[Section, ...] = (
    Section(SectionName.PRIVACY, _("Privacy"), (_("Privacy/Confidentiality Statement"),), editable=False),
    Section(SectionName.PRIMARY, _("Primary Information"), (_("About Your Client (Primary Information)"),)),
    Section(SectionName.IMMIGRATION, _("Immigration"), (_("Immigration Related"),)),
    Section(
        SectionName.IDENTIFICATION,
        _("Identification"),
        (_("Identification Documents"), _("Client History Prior to OCMS")),
    ),
    Section(SectionName.CONTACT, _("Contact"), (_("About Your Client (Contact Information)"),)),
    Section(SectionName.EMPLOYMENT, _("Employment"), (_("Employment Related"),)),
    Section(SectionName.LANGUAGE, _("Language and Housing"), (_("Client Language Related"), _("Housing Status"))),
    Section(SectionName.SENSITIVE, _("Sensitive and Volunteer"), (_("Sensitive Information"), _("Volunteer"))),
    Section(
        SectionName.CONSENT,
        _("Consent and Referral"),
        (_("Emergency Contact & Consent"), _("Learned About Your Agency")),
    ),
    Section(SectionName.SUMMARY, _("Registration Summary"), (_("Registration Summary"),)),
)
SECTION_BY_NAME: dict[str, Section] = {section.name: section for section in SECTIONS}
PROFILE_SECTIONS: tuple[Section, ...] = tuple(section for section in SECTIONS if section.editable)
EDITABLE_SECTIONS: tuple[SectionName, ...] = tuple(section.name for section in PROFILE_SECTIONS)


def section_named(name: str) -> Section | None:
    return SECTION_BY_NAME.get(name)
