"""Signed chart addresses: a staff member's page can show a chart with ``<img src>``, which
sends no token, so the address itself carries an expiry and an HMAC of what it shows."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

LIFETIME_SECONDS = 3600
CHARTS_PATH = "/api/v1/reports/charts"


def signature(secret: str, kind: str, period_key: str, expires: int) -> str:
    message = f"chart|{kind}|{period_key}|{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def signed_path(
    secret: str, kind: str, period_key: str, now: float | None = None
) -> tuple[str, int]:
    """The chart's path with ``period``, ``expires`` and ``signature``, and when it expires."""
    expires = int(now if now is not None else time.time()) + LIFETIME_SECONDS
    query = urlencode(
        {
            "period": period_key,
            "expires": expires,
            "signature": signature(secret, kind, period_key, expires),
        }
    )
    return f"{CHARTS_PATH}/{kind}?{query}", expires


def is_valid(
    secret: str, kind: str, period_key: str, expires: int, given: str, now: float | None = None
) -> bool:
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature(secret, kind, period_key, expires), given)
