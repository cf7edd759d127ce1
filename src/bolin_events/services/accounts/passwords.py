"""Password hashing: argon2id at the cost the settings give.

The cost is a setting so that the test suite can lower it (``BOLIN_ENVIRONMENT=test``); any
other environment keeps at least OWASP's minimum (2 passes over 19 MiB), which ``Settings``
enforces. A hash carries its own parameters, so raising the cost later still verifies
every password stored before.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bolin_events.settings import Settings


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    """Checked against when the user does not exist, so a wrong name costs as long as a wrong
    password. Made on first use, not at import."""
    return _hasher(time_cost, memory_kib).hash("not a real password")


def hash_password(settings: Settings, password: str) -> str:
    return _hasher(settings.password_hash_time_cost, settings.password_hash_memory_kib).hash(
        password
    )


def password_matches(settings: Settings, stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; with nothing stored, a dummy
    hash is checked anyway (and the answer is no)."""
    cost = (settings.password_hash_time_cost, settings.password_hash_memory_kib)
    try:
        _hasher(*cost).verify(stored or _dummy_hash(*cost), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None
