"""What is typed at the wizard's Sensitive step, sealed at rest in the draft.

Sealed with Fernet (AES-128-CBC and HMAC-SHA256, from the `cryptography` package) under the keys in
OCMS_DRAFT_KEYS: the first key seals, every key opens, so a new key is put first and `draft_keys_rotate`
reseals every draft under it before the old key is removed.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _keys(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def keys() -> MultiFernet:
    return _keys(tuple(settings.OCMS_DRAFT_KEYS))


def seal(data: dict[str, list[str]]) -> str:
    return keys().encrypt(json.dumps(data).encode()).decode()


def unseal(token: str) -> dict[str, list[str]]:
    """The sealed values; nothing when there are none, or when no key opens them any more."""
    if not token:
        return {}
    try:
        return json.loads(keys().decrypt(token.encode()))
    except InvalidToken:
        return {}


def reseal(token: str) -> str:
    """The same values sealed under the first key."""
    return keys().rotate(token.encode()).decode()
