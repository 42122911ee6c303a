"""The clients app's models, by subject: the client, its family, the rows that hang off it, its sensitive
information and the unlock log, sessions and matches, and the name-word dictionary of Find Client."""

from clients.models.client import (
    CONTACT_FIELDS,
    FIRST_CLIENT_NUMBER,
    Client,
    ClientQuerySet,
    MaritalStatus,
    ProgramStatus,
    VolunteerStatus,
    VolunteerStream,
    VolunteerType,
    get_client_for,
    get_profile_client_for,
    search_keys,
)
from clients.models.family import Family
from clients.models.merge import (
    PEOPLE_REASONS,
    REASON_WEIGHTS,
    ClientMerge,
    DuplicatePair,
    DuplicateScan,
    PairReason,
    PairStatus,
)
from clients.models.parts import (
    Certificate,
    Child,
    ClientLanguage,
    ClientPartQuerySet,
    ClientProgram,
    ConsentContact,
    ContactKind,
    Identifier,
    identifier_key,
)
from clients.models.search import NameWord
from clients.models.sensitive import SensitiveInfo, UnlockAttempt, UnlockOutcome, UnlockSubject
from clients.models.sessions import DeliveryMode, MatchKind, MentorMatch, Service, Session, SessionType

__all__ = [
    "CONTACT_FIELDS",
    "FIRST_CLIENT_NUMBER",
    "PEOPLE_REASONS",
    "REASON_WEIGHTS",
    "ClientMerge",
    "DuplicatePair",
    "DuplicateScan",
    "PairReason",
    "PairStatus",
    "Certificate",
    "Child",
    "Client",
    "ClientLanguage",
    "ClientPartQuerySet",
    "ClientProgram",
    "ClientQuerySet",
    "ConsentContact",
    "ContactKind",
    "DeliveryMode",
    "Family",
    "Identifier",
    "MaritalStatus",
    "MatchKind",
    "MentorMatch",
    "NameWord",
    "ProgramStatus",
    "SensitiveInfo",
    "Service",
    "Session",
    "SessionType",
    "UnlockAttempt",
    "UnlockOutcome",
    "UnlockSubject",
    "VolunteerStatus",
    "VolunteerStream",
    "VolunteerType",
    "get_client_for",
    "get_profile_client_for",
    "identifier_key",
    "search_keys",
]
