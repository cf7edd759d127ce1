"""The staff client behind `bolin-events client`: the JSON API over an injected httpx client.

Every write carries an Idempotency-Key derived from what is sent, and a request that meets a
dropped connection is retried with the same key: the server answers a repeat with the first
answer, so a weak connection never counts a report twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

RETRY_STATUSES = frozenset({502, 503, 504})
PATIENCE_SECONDS = 45.0  # longer than a restart of the server (6–8 s) with room to spare
MAX_WAIT = 5.0


def _retry_after(response: httpx.Response, default: float) -> float:
    """The pause a busy server asked for (seconds), within reason; else ``default``."""
    value = response.headers.get("retry-after", "")
    return min(float(value), MAX_WAIT * 2) if value.isdigit() else default


class ClientError(Exception):
    """The server refused a request; ``message`` is its plain-words reason (Chinese first)."""

    def __init__(self, status: int, message: str, message_en: str, details: list[Any]) -> None:
        super().__init__(f"{message} / {message_en}")
        self.status, self.message, self.message_en, self.details = (
            status,
            message,
            message_en,
            details,
        )


class ConnectionLost(Exception):
    """No answer after every retry: the request may or may not have arrived."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool


@dataclass(frozen=True)
class ClientConfig:
    url: str
    username: str
    token: str


def config_path() -> Path:
    if explicit := os.environ.get("BOLIN_CLIENT_CONFIG"):
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "bolin-events" / "client.json"


def save_config(config: ClientConfig, path: Path) -> None:
    """Written 0600 from the start: the token is as good as the password."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(config.__dict__, file, ensure_ascii=False, indent=2)


def load_config(path: Path) -> ClientConfig | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ClientConfig(url=data["url"], username=data["username"], token=data["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def idempotency_key(kind: str, occurrence: str, content: Any) -> str:
    """The same submission always gets the same key, so re-running a command is safe."""
    canonical = json.dumps([kind, occurrence, content], sort_keys=True, ensure_ascii=False)
    return f"bolin-{kind}-{hashlib.sha256(canonical.encode()).hexdigest()[:40]}"


class BolinClient:
    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        patience: float = PATIENCE_SECONDS,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.http = http or httpx.Client(transport=transport, timeout=30.0)
        self.patience, self.backoff = patience, backoff
        self.sleep, self.clock = sleep, clock

    def close(self) -> None:
        self.http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # Sent again (the same request, so the same Idempotency-Key) while the server is
        # unreachable or answers 502/503/504 — a restart takes seconds — for `patience`
        # seconds, waiting longer each time (at most MAX_WAIT, or what Retry-After asks).
        give_up = self.clock() + self.patience
        wait = self.backoff
        while True:
            try:
                response = self.http.request(method, self.url + path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                if self.clock() + wait > give_up:
                    raise ConnectionLost(f"{type(exc).__name__}: {exc}") from exc
                pause = wait
            else:
                pause = _retry_after(response, wait)
                if response.status_code not in RETRY_STATUSES or self.clock() + pause > give_up:
                    break
            self.sleep(pause)
            wait = min(wait * 2, MAX_WAIT)
        if response.status_code >= 400:
            raise _error(response)
        return response

    def login(self, username: str, password: str) -> str:
        body = {"username": username, "password": password, "name": "bolin-events client"}
        token: str = self._request("POST", "/api/v1/auth/token", json=body).json()["token"]
        self.token = token
        return token

    def pending(self, villages: list[str] | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"limit": 500, "offset": len(items)}
            if villages:
                params["village"] = ",".join(villages)
            page = self._request("GET", "/api/v1/reports/pending", params=params).json()
            items.extend(page["items"])
            if not page["items"] or len(items) >= page["total"]:
                return items

    def report(self, occurrence: str, figures: dict[str, Any], *, dry_run: bool = False) -> Answer:
        key = idempotency_key("report", occurrence, figures)
        response = self._request(
            "POST",
            f"/api/v1/occurrences/{occurrence}/reports",
            json=figures,
            params={"dry_run": "true"} if dry_run else None,
            headers={"Idempotency-Key": key},
        )
        replayed = response.headers.get("idempotent-replayed") == "true"
        return Answer(response.status_code, response.json(), replayed)

    def add_photo(self, occurrence: str, path: Path) -> Answer:
        data = path.read_bytes()
        key = idempotency_key("photo", occurrence, hashlib.sha256(data).hexdigest())
        kind = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
        response = self._request(
            "POST",
            f"/api/v1/occurrences/{occurrence}/photos",
            files={"photo": (path.name, data, kind)},
            headers={"Idempotency-Key": key},
        )
        replayed = response.headers.get("idempotent-replayed") == "true"
        return Answer(response.status_code, response.json(), replayed)

    def history(self, occurrence: str) -> dict[str, Any]:
        body: dict[str, Any] = self._request(
            "GET", f"/api/v1/occurrences/{occurrence}/reports"
        ).json()
        return body


def _error(response: httpx.Response) -> ClientError:
    try:
        body = response.json()
        return ClientError(
            response.status_code,
            str(body.get("message") or response.reason_phrase),
            str(body.get("message_en") or ""),
            list(body.get("details") or []),
        )
    except (ValueError, AttributeError):
        text = response.text[:200] or response.reason_phrase
        return ClientError(response.status_code, text, text, [])
