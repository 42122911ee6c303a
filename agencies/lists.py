"""The reference lists: IRCC's (loaded from agencies/data) and the agency-editable ones' starting values."""

import csv
import functools
import json
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"

# French labels of IRCC's values, written here (IRCC's own French terms where it has them: Niveaux de compétence
# linguistique canadiens, NCLC, for the Canadian Language Benchmarks). The languages' come from language_names();
# the street types are not translated (see STREET_TYPE_LANG). The value stored and exported stays IRCC's.
CLB_FRENCH = {
    "N/A": "S. O.",
    "Insufficient Evidence": "Preuves insuffisantes",
    "Lit - Foundation L": "Alphabétisation – niveau fondamental (L)",
    "Lit - 1L": "Alphabétisation – 1L",
    "Lit - 2L": "Alphabétisation – 2L",
    "Lit - 3L": "Alphabétisation – 3L",
    "Lit - 4L": "Alphabétisation – 4L",
    "Pre-CLB": "Pré-NCLC",
}
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
        "Québec": "Québec",
        "Ontario": "Ontario",
        "Manitoba": "Manitoba",
        "Saskatchewan": "Saskatchewan",
        "Alberta": "Alberta",
        "Northwest Territories": "Territoires du Nord-Ouest",
        "British Columbia": "Colombie-Britannique",
        "Yukon": "Yukon",
        "Nunavut": "Nunavut",
    },
    "street_type": {"Not Applicable": "Sans objet"},
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
    "listening_clb_level": CLB_FRENCH,
    "speaking_clb_level": CLB_FRENCH,
    "reading_clb_level": CLB_FRENCH,
    "writing_clb_level": CLB_FRENCH,
    "child_age": {
        "Infant (6-18 months)": "Nourrisson (6 à 18 mois)",
        "Toddler (19-35 months)": "Tout-petit (19 à 35 mois)",
        "Pre-school (36 months - 6 years)": "Âge préscolaire (36 mois à 6 ans)",
        "School age (more than 6 years)": "Âge scolaire (plus de 6 ans)",
    },
    "referred_by": {
        "Community centre / library": "Centre communautaire / bibliothèque",
        "Employer / co-worker": "Employeur / collègue",
        "Ethnic or religious organization": "Organisme ethnique ou religieux",
        "Family / friends": "Famille / amis",
        "Canadian government agency": "Organisme du gouvernement du Canada",
        "Government publication / brochure / website": "Publication / brochure / site Web du gouvernement",
        "Immigration consultant / lawyer": "Consultant en immigration / avocat",
        "Internal to my organization": "Au sein de mon organisme",
        "Non-governmental newspaper / media / publication / brochure / Web site": (
            "Journal / média / publication / brochure / site Web non gouvernemental"
        ),
        "In-Canada orientation session": "Séance d'orientation au Canada",
        "Overseas orientation session (e.g. CIIP)": "Séance d'orientation à l'étranger (p. ex. PCII)",
        "Other settlement service provider": "Autre fournisseur de services d'établissement",
        "School": "École",
        "Not referred": "Aucune recommandation",
    },
    "employment_status": {
        "Unemployed": "Sans emploi",
        "Employed part time - less than 30 hours at main or only job": (
            "Emploi à temps partiel - moins de 30 heures à l'emploi principal ou unique"
        ),
        "Employed full time - 30 hours or more at main or only job": (
            "Emploi à temps plein - 30 heures ou plus à l'emploi principal ou unique"
        ),
    },
    "education_status": {
        "Full-time student": "Aux études à temps plein",
        "Part-time student": "Aux études à temps partiel",
        "Full-time training (e.g. language training or job-specific training)": (
            "Formation à temps plein (p. ex. formation linguistique ou formation propre à un emploi)"
        ),
        "Part-time training (e.g. language training or job-specific training)": (
            "Formation à temps partiel (p. ex. formation linguistique ou formation propre à un emploi)"
        ),
        "Not a student": "Pas aux études",
    },
}

# IRCC's street types spelled properly for staff (exported as IRCC spells them): the list keeps the English and the
# French types, in the order of Canada Post's list, where "Walk" stands where IRCC wrote "Work".
STREET_TYPE_ENGLISH = {
    "Holl": "Hollow",
    "Iceland": "Island",
    "Platau": "Plateau",
    "ésplanade": "Esplanade",
    "CulDeSac": "Cul-de-sac",
    "RondPoint": "Rond-point",
    "Work": "Walk",
}
# The language each street type is named in (Canada Post's English and French street types): blank for the types
# both languages use; English for the others.
FRENCH_STREET_TYPES = (
    ("Allée", "Autoroute", "Carré", "Carrefour", "Cercle", "Chemin", "Côte", "Cour", "Cours", "Croissant", "Île")
    + ("Impasse", "Montée", "Parc", "Pointe", "Quai", "Rang", "RondPoint", "Rue", "Ruelle", "Sentier", "Terrasse")
    + ("Voie",)
)
BOTH_LANGUAGES_STREET_TYPES = (
    "Avenue",
    "Boulevard",
    "Campus",
    "Centre",
    "Circuit",
    "Concession",
    "CulDeSac",
    "ésplanade",
    "Passage",
    "Place",
) + ("Platau", "Port", "Promenade", "Route", "Square", "Village")
STREET_TYPE_LANG = dict.fromkeys(FRENCH_STREET_TYPES, "fr") | dict.fromkeys(BOTH_LANGUAGES_STREET_TYPES, "")


def french_language_name(code: str) -> str:
    """CLDR's Canadian French name of an ISO 639 language (a tag such as nl-BE too), capitalised as a list item."""
    from babel import Locale

    name = Locale.parse("fr_CA").languages.get(code.replace("-", "_"), "")
    return name[:1].upper() + name[1:]


@functools.cache
def language_names() -> dict[str, tuple[str, str]]:
    """IRCC's language strings (without their trailing spaces) with the English and the French name staff see,
    from icare/language_names.csv: a French name written there, else CLDR's for the language code."""
    with (DATA_DIR / "icare" / "language_names.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["ircc"]: (row["english"], row["french"] or french_language_name(row["code"])) for row in rows}


def icare_labels(list_name: str, value: str) -> dict[str, str]:
    """What staff see of one IRCC value: its English label (blank: IRCC's string), its French label, and the
    language IRCC's string is written in."""
    if list_name == "language_of_service":
        english, french = language_names()[value.strip()]
        return {"label_en": english, "label_fr": french, "lang": "en"}
    if list_name == "street_type":
        return {
            "label_en": STREET_TYPE_ENGLISH.get(value, ""),
            "label_fr": ICARE_FRENCH["street_type"].get(value, ""),
            "lang": STREET_TYPE_LANG.get(value.strip(), "en"),
        }
    if value.isdigit():
        return {"label_en": "", "label_fr": value, "lang": ""}  # a CLB level's number
    return {"label_en": "", "label_fr": ICARE_FRENCH.get(list_name, {}).get(value.strip(), ""), "lang": "en"}


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
    given their position and labels where these changed."""
    from agencies.models import IcareList

    # An earlier migration's model has fewer of the label fields: each migration sets those it has.
    label_fields = [f for f in ("label_en", "label_fr", "lang") if f in {x.name for x in IcareValue._meta.fields}]
    wanted = {choice.value for choice in IcareList}
    # A value listed twice keeps its last place, as one update after another would leave it.
    values_wanted = {
        (name, value): {"position": position, **icare_labels(name, value)}
        for name, values in icare_lists().items()
        if name in wanted
        for position, value in enumerate(values)
    }
    fields = ["position", *label_fields]
    existing = {(row.list, row.value): row for row in IcareValue.objects.all()}
    created, changed = [], []
    for (name, value), wanted_fields in values_wanted.items():
        wanted_fields = {field: wanted_fields[field] for field in fields}
        row = existing.get((name, value))
        if row is None:
            created.append(IcareValue(list=name, value=value, **wanted_fields))
        elif any(getattr(row, field) != wanted_fields[field] for field in fields):
            for field in fields:
                setattr(row, field, wanted_fields[field])
            changed.append(row)
    IcareValue.objects.bulk_create(created)
    IcareValue.objects.bulk_update(changed, fields)


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
    from agencies.models import IcareList, IcareValue, ListItem, lists_changed

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
    lists_changed(agency.pk)  # bulk_create sends no post_save
