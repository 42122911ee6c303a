"""The reference lists: IRCC's (loaded from agencies/data) and the agency-editable ones' starting values."""

import csv
import json
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"

# French labels for the IRCC values a caseworker picks most; the exported value stays IRCC's.
ICARE_FRENCH = {
    "official_language_of_preference": {
        "English": "Anglais",
        "French": "Français",
        "Unknown/No preference": "Inconnue/Aucune préférence",
    },
    "province": {
        "Newfoundland and Labrador": "Terre-Neuve-et-Labrador",
        "Prince Edward Island": "Île-du-Prince-Édouard",
        "Nova Scotia": "Nouvelle-Écosse",
        "New Brunswick": "Nouveau-Brunswick",
        "British Columbia": "Colombie-Britannique",
        "Northwest Territories": "Territoires du Nord-Ouest",
    },
    "street_direction": {
        "E - East": "E - Est",
        "N - North": "N - Nord",
        "NE - Northeast": "NE - Nord-Est",
        "NW - Northwest": "NO - Nord-Ouest",
        "S - South": "S - Sud",
        "SE - Southeast": "SE - Sud-Est",
        "SW - Southwest": "SO - Sud-Ouest",
        "W - West": "O - Ouest",
    },
    "unique_identifier": {
        "FOSS/GCMS Client ID": "ID client SSOBL/SMGC",
        "Temporary Resident or Minister’s Permit Number": "Numéro de permis de séjour temporaire ou du ministre",
        "IMM5292, IMM5509, IMM1000 Number": "Numéro IMM5292, IMM5509, IMM1000",
    },
}

TEMPLATE_LISTS = {
    "J": "street_type",
    "K": "street_direction",
    "N": "province",
}


def icare_template() -> dict:
    return json.loads((DATA_DIR / "icare" / "client_profile_template.json").read_text(encoding="utf-8"))


def icare_lists() -> dict[str, list[str]]:
    """IRCC's lists by name: the Options sheet's lists plus those only the template states."""
    lists = json.loads((DATA_DIR / "icare" / "code_lists.json").read_text(encoding="utf-8"))["lists"]
    for column in icare_template()["columns"]:
        if column["column"] in TEMPLATE_LISTS:
            lists[TEMPLATE_LISTS[column["column"]]] = column["allowed"]
    return lists


def icare_values_load(IcareValue) -> None:  # noqa: N803 - the model class, historical in migrations
    """Create or update every IRCC value the project uses: the missing ones created in one statement, the others
    given their position and French label where these changed."""
    from agencies.models import IcareList

    wanted = {choice.value for choice in IcareList}
    # A value listed twice keeps its last place, as one update after another would leave it.
    values_wanted = {
        (name, value): (position, ICARE_FRENCH.get(name, {}).get(value, ""))
        for name, values in icare_lists().items()
        if name in wanted
        for position, value in enumerate(values)
    }
    existing = {(row.list, row.value): row for row in IcareValue.objects.all()}
    created, changed = [], []
    for (name, value), (position, label_fr) in values_wanted.items():
        row = existing.get((name, value))
        if row is None:
            created.append(IcareValue(list=name, value=value, position=position, label_fr=label_fr))
        elif (row.position, row.label_fr) != (position, label_fr):
            row.position, row.label_fr = position, label_fr
            changed.append(row)
    IcareValue.objects.bulk_create(created)
    IcareValue.objects.bulk_update(changed, ["position", "label_fr"])


def occupations_load(Occupation) -> None:  # noqa: N803
    with (DATA_DIR / "noc2021" / "unit_groups.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    Occupation.objects.bulk_create(
        [
            Occupation(
                code=row["code"],
                title_en=row["title_en"],
                title_fr=row["title_fr"],
                teer=int(row["teer"]),
                broad_category=int(row["broad_category"]),
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


# (label, French label, group) for each agency-editable list; agencies edit them in the admin.
AGENCY_LIST_START: dict[str, list[tuple[str, str, str]]] = {
    "gender": [
        ("Female", "Femme", ""),
        ("Male", "Homme", ""),
        ("Gender diverse", "Diversité de genre", ""),
        ("Prefer not to say", "Préfère ne pas répondre", ""),
    ],
    "immigration_class": [
        ("Federal Skilled Worker", "Travailleur qualifié (fédéral)", "Economic"),
        ("Canadian Experience Class", "Catégorie de l'expérience canadienne", "Economic"),
        ("Provincial Nominee", "Candidat d'une province", "Economic"),
        ("Quebec Skilled Worker", "Travailleur qualifié (Québec)", "Economic"),
        ("Caregiver", "Aide familial", "Economic"),
        ("Business (entrepreneur, investor, self-employed)", "Gens d'affaires", "Economic"),
        ("Federal Skilled Trades", "Métiers spécialisés (fédéral)", "Economic"),
        ("Spouse or partner", "Époux ou conjoint", "Family"),
        ("Child", "Enfant", "Family"),
        ("Parent or grandparent", "Parent ou grand-parent", "Family"),
        ("Other family member", "Autre membre de la famille", "Family"),
        ("Government-Assisted Refugee", "Réfugié pris en charge par le gouvernement", "Refugee"),
        ("Privately Sponsored Refugee", "Réfugié parrainé par le secteur privé", "Refugee"),
        ("Blended Visa Office-Referred Refugee", "Réfugié désigné par un bureau des visas", "Refugee"),
        ("Protected Person landed in Canada", "Personne protégée établie au Canada", "Refugee"),
        ("Humanitarian and compassionate", "Considérations d'ordre humanitaire", "Other"),
        ("Public policy", "Politique d'intérêt public", "Other"),
        ("Not applicable", "Sans objet", ""),
        ("Unknown", "Inconnu", ""),
    ],
    "immigration_status": [
        ("Permanent Resident", "Résident permanent", ""),
        ("Protected Person", "Personne protégée", ""),
        ("Convention Refugee", "Réfugié au sens de la Convention", ""),
        ("Refugee Claimant", "Demandeur d'asile", ""),
        ("Temporary Foreign Worker", "Travailleur étranger temporaire", ""),
        ("International Student", "Étudiant étranger", ""),
        ("Visitor", "Visiteur", ""),
        ("Temporary Resident Permit holder", "Titulaire d'un permis de séjour temporaire", ""),
        ("Canadian Citizen", "Citoyen canadien", ""),
        ("Unknown", "Inconnu", ""),
    ],
    "education_level": [
        ("No formal education", "Aucune scolarité", ""),
        ("Primary school", "École primaire", ""),
        ("Secondary school", "École secondaire", ""),
        ("Trade or apprenticeship certificate", "Certificat de métier ou d'apprenti", ""),
        ("College diploma", "Diplôme collégial", ""),
        ("Bachelor's degree", "Baccalauréat", ""),
        ("Master's degree", "Maîtrise", ""),
        ("Doctorate", "Doctorat", ""),
        ("Unknown", "Inconnu", ""),
    ],
    "housing_status": [
        ("Owns home", "Propriétaire", ""),
        ("Rents", "Locataire", ""),
        ("Lives with family or friends", "Hébergé par la famille ou des amis", ""),
        ("Temporary accommodation", "Logement temporaire", ""),
        ("Shelter", "Refuge", ""),
        ("Homeless", "Sans abri", ""),
        ("Unknown", "Inconnu", ""),
    ],
    "aboriginal_status": [
        ("First Nations", "Premières Nations", ""),
        ("Métis", "Métis", ""),
        ("Inuit", "Inuit", ""),
        ("Not applicable", "Sans objet", ""),
        ("Prefer not to say", "Préfère ne pas répondre", ""),
    ],
    "immigration_card_type": [
        ("Permanent Resident Card", "Carte de résident permanent", ""),
        ("Confirmation of Permanent Residence (IMM 5292/5688)", "Confirmation de résidence permanente", ""),
        ("Record of Landing (IMM 1000)", "Fiche relative au droit d'établissement (IMM 1000)", ""),
        ("Work permit", "Permis de travail", ""),
        ("Study permit", "Permis d'études", ""),
        ("Refugee Protection Claimant Document", "Document du demandeur d'asile", ""),
        ("None", "Aucune", ""),
    ],
    "relationship": [
        ("Mother", "Mère", ""),
        ("Father", "Père", ""),
        ("Sister", "Sœur", ""),
        ("Brother", "Frère", ""),
        ("Grandparent", "Grand-parent", ""),
        ("Aunt or uncle", "Tante ou oncle", ""),
        ("Legal guardian", "Tuteur légal", ""),
        ("Spouse or partner", "Époux ou conjoint", ""),
        ("Friend", "Ami", ""),
        ("Other", "Autre", ""),
    ],
    "health_insurance_status": [
        ("Provincial health insurance", "Assurance maladie provinciale", ""),
        ("Interim Federal Health Program", "Programme fédéral de santé intérimaire", ""),
        ("Private insurance", "Assurance privée", ""),
        ("Waiting period", "Délai de carence", ""),
        ("None", "Aucune", ""),
        ("Unknown", "Inconnu", ""),
    ],
    "family_income": [
        ("Under $20,000", "Moins de 20 000 $", ""),
        ("$20,000 to $39,999", "20 000 $ à 39 999 $", ""),
        ("$40,000 to $59,999", "40 000 $ à 59 999 $", ""),
        ("$60,000 to $79,999", "60 000 $ à 79 999 $", ""),
        ("$80,000 or more", "80 000 $ ou plus", ""),
        ("Prefer not to say", "Préfère ne pas répondre", ""),
    ],
    "self_identity": [
        ("Person with a disability", "Personne handicapée", ""),
        ("2SLGBTQI+", "2ELGBTQI+", ""),
        ("Racialized person", "Personne racisée", ""),
        ("Senior", "Aîné", ""),
        ("Youth", "Jeune", ""),
        ("Prefer not to say", "Préfère ne pas répondre", ""),
    ],
    "identifier_type": [
        # The three iCARE types come first; their IcareValue is linked in agency_lists_seed.
        ("FOSS/GCMS Client ID", "ID client SSOBL/SMGC", ""),
        ("Temporary Resident or Minister’s Permit Number", "Numéro de permis de séjour temporaire ou du ministre", ""),
        ("IMM5292, IMM5509, IMM1000 Number", "Numéro IMM5292, IMM5509, IMM1000", ""),
        ("Passport Number", "Numéro de passeport", ""),
        ("Permanent Resident Card Number", "Numéro de carte de résident permanent", ""),
        ("Provincial Health Card Number", "Numéro de carte santé provinciale", ""),
        ("Driver's Licence Number", "Numéro de permis de conduire", ""),
    ],
}


@transaction.atomic
def agency_lists_seed(*, agency) -> None:
    """Give an agency the starting values of every agency-editable list (existing values are kept), in two queries."""
    from agencies.models import IcareList, IcareValue, ListItem

    icare_ids = {v.value: v for v in IcareValue.objects.of(IcareList.IDENTIFIER_TYPE)}
    existing = set(ListItem.objects.filter(agency=agency).values_list("list", "label"))
    ListItem.objects.bulk_create(
        ListItem(
            agency=agency,
            list=list_name,
            label=label,
            label_fr=label_fr,
            group=group,
            position=position,
            icare_value=icare_ids.get(label) if list_name == "identifier_type" else None,
        )
        for list_name, items in AGENCY_LIST_START.items()
        for position, (label, label_fr, group) in enumerate(items)
        if (list_name, label) not in existing
    )
