"""What a sign-up is known by, and the personal data it keeps in a form that cannot be read back.

The check-in code is short and easy to read out or type at the door (no 0/O, 1/I/L); the
secret token is the visitor's link to their own page, stored only as its sha256, so the
database alone opens no one's sign-up. The phone number and the network address are kept as
HMAC-SHA256 under the installation's secret key — enough to see that two sign-ups come from
the same number or address, not to recover either — and the number masked (138****5678) for
staff.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from bolin_events.errors import InvalidInput

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # nothing read as another (0/O, 1/I/L)
CODE_LENGTH = 6  # 31⁶ ≈ 887 million codes
MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")  # 138 1234 5678, 138-1234-5678, (138)…


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret_key: str, value: str) -> str:
    """HMAC-SHA256 of ``value``: the same input matches itself, and nothing else can be read
    from it without the key (a plain hash of an 11-digit number is reversed by trying them)."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def phone_digits(raw: str) -> str:
    """A mainland mobile number as its 11 digits, from the ways people write it: spaces or
    dashes between groups, +86 / 86 / 0086 in front. Anything else is refused saying what is
    expected."""
    text = PHONE_SEPARATORS.sub("", raw.strip())
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix):]
            break
    if not MAINLAND_MOBILE.match(text):
        raise InvalidInput(
            "手机号应为 11 位中国大陆手机号码，以 1 开头，例如 138 1234 5678。",
            "The phone number should be a mainland China mobile number: 11 digits starting "
            "with 1, e.g. 138 1234 5678.",
            [{"field": "phone"}],
        )
    return text


def masked(digits: str) -> str:
    """138****5678: what staff see of a number."""
    return f"{digits[:3]}****{digits[-4:]}"
