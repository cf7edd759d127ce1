"""All configuration, read once from ``BOLIN_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

SECRET_FILE = "secret_key"
OWASP_MIN_KIB = 19456  # argon2id: 19 MiB with 2 passes is OWASP's lowest recommendation


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOLIN_", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./data")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default is SQLite in the data directory.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs the staff forms' CSRF tokens and the report chart links; "
        "generated into the data directory when unset.",
    )
    timezone: str = "Asia/Shanghai"
    public_url: str = "http://127.0.0.1:8000"
    uid_domain: str | None = Field(
        default=None,
        description="Right-hand side of new events' calendar UIDs (event-42@…); unset: the "
        "host of public_url (see resolved_uid_domain). Stored with each event when it is "
        "made, so changing it later changes no existing UID.",
    )
    max_body_bytes: int = 1_000_000
    max_occurrences_per_series: int = 1000
    feed_past_days: int = Field(
        default=180, ge=0, le=3660,
        description="Events that ended more than this many days ago leave the iCal feeds "
        "(Google refuses feeds over ~1 MB); future events always stay.",
    )
    feed_recheck_seconds: float = Field(
        default=2.0,
        ge=0,
        le=300,
        description="A feed served within this many seconds is sent again without asking the "
        "database whether it changed (writes through this process are seen at once). Well "
        "inside the five minutes feeds may be cached by clients anyway.",
    )
    report_grace_minutes: int = Field(
        default=30,
        ge=0,
        le=24 * 60,
        description="Attendance may be reported from this many minutes before a start.",
    )
    max_photo_bytes: int = Field(
        default=8_000_000,
        ge=10_000,
        le=100_000_000,
        description="Largest evidence photo accepted (bytes).",
    )
    font_path: Path | None = Field(
        default=None,
        description="A font with Chinese characters (.ttf, .otf, .ttc) for the share image; "
        "unset: Noto Sans CJK SC or WenQuanYi, found where Debian/Ubuntu put them or by "
        "fontconfig. With none, the share image has its QR code and date but no Chinese text.",
    )
    import_max_bytes: int = Field(
        default=10_000_000,
        ge=10_000,
        le=200_000_000,
        description="Largest spreadsheet upload or remote calendar an import reads (bytes).",
    )
    import_timeout_seconds: float = Field(
        default=20.0, gt=0, le=600, description="Time limit for fetching a remote calendar."
    )
    import_max_redirects: int = Field(default=5, ge=0, le=20)
    figure_digits: int = Field(
        default=2,
        ge=1,
        le=3,
        description="Significant figures a review keeps when it writes people: "
        "5,316 is 5300余 with 2, 5000余 with 1.",
    )
    yoy_min_sessions: int = Field(
        default=10,
        ge=1,
        le=10_000,
        description="同比 is written only when the year before had at least this many sessions "
        "(of a counting group); a smaller base gives a warning instead.",
    )
    session_idle_hours: float = Field(
        default=12, gt=0, le=24 * 30,
        description="A staff page log-in ends this many hours after it was last used.",
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=1000,
        description="Wrong passwords allowed per user name, and per address, within "
        "`login_lockout_minutes`; more are refused with 429 until the window passes.",
    )
    login_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    password_hash_time_cost: int = Field(
        default=3, ge=1, le=20, description="argon2 passes for each password hash."
    )
    password_hash_memory_kib: int = Field(
        default=65536, ge=64, le=4_194_304, description="argon2 memory for each password hash."
    )
    db_echo: bool = False
    db_pool_size: int = Field(
        default=20, ge=1, le=500,
        description="Database connections each app process may hold at once.",
    )
    db_pool_timeout_seconds: float = Field(
        default=3.0, gt=0, le=60,
        description="How long a request waits for a free database connection before it is "
        "answered 503 with Retry-After (a crowd is refused quickly rather than queued).",
    )
    max_concurrent_requests: int = Field(
        default=64, ge=1, le=100_000,
        description="Requests each app process works on at once beyond those answered from "
        "memory (cached public pages and JSON, feeds); more are refused at once with 503 and "
        "Retry-After.",
    )
    event_loop: Literal["asyncio", "uvloop"] = Field(
        default="asyncio",
        description="The server's event loop. uvloop answers ~30 % more requests a second, "
        "but under a flood of new connections it left 800 of 2,000 unaccepted for over 5 s "
        "(bench/crowd.py); asyncio accepts them all.",
    )
    signup_retention_days: int = Field(
        default=30, ge=1, le=365,
        description="Days after a night ends that its sign-ups' names and phone numbers are "
        "kept, for a plan that does not say (the plan form's default); then they are deleted, "
        "the headcounts stay.",
    )
    signup_purge_minutes: float = Field(
        default=60, ge=0, le=24 * 60,
        description="How often each app process deletes sign-ups' personal data past its "
        "retention (0: never; then run `bolin-events signups purge` from cron).",
    )
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="text, or json: one JSON object per line."
    )
    access_log: bool = Field(
        default=True,
        description="One line per request (with its request id) on standard error.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _passwords_hashed_properly_outside_tests(self) -> Settings:
        weak = self.password_hash_time_cost < 2 or self.password_hash_memory_kib < OWASP_MIN_KIB
        if weak and self.environment != "test":
            raise ValueError(
                "only BOLIN_ENVIRONMENT=test may hash passwords below OWASP's minimum "
                f"(BOLIN_PASSWORD_HASH_TIME_COST ≥ 2, BOLIN_PASSWORD_HASH_MEMORY_KIB ≥ "
                f"{OWASP_MIN_KIB})"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bolin.db').resolve()}"

    @property
    def resolved_uid_domain(self) -> str:
        """BOLIN_UID_DOMAIN, else the host of BOLIN_PUBLIC_URL, so that two installations
        never give different events the same UID (uid_domain_for)."""
        return self.uid_domain or uid_domain_for(self.public_url)

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag whenever the public address is https."""
        return self.public_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database's file (None on PostgreSQL or for an in-memory database)."""
        url = make_url(self.resolved_database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(str(url.database))

    @property
    def libpq_url(self) -> str:
        """The PostgreSQL database as libpq names it (asyncpg.connect, pg_dump, pg_restore)."""
        url = make_url(self.resolved_database_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded photos are stored (storage.LocalStore's root)."""
        return self.data_dir / "uploads"

    @property
    def pictures_dir(self) -> Path:
        """Where event and category pictures and their sizes are stored."""
        return self.data_dir / "pictures"

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once into the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_FILE
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:  # made 0600 from the start: write-then-chmod leaves it readable for a moment
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as file:
            file.write(key)
        return key


def uid_domain_for(public_url: str) -> str:
    """The host of the public address; when that is this machine or a private address (no
    public address was set), the machine's host name; failing that, ``bolin-events.invalid``.

    A name that names only this installation: the old default, the literal ``bolin-events``,
    was the same everywhere, so two installations gave their own events the same UIDs.
    """
    host = (urlsplit(public_url).hostname or "").lower()
    if host and not _local_host(host):
        return host
    machine = socket.gethostname().lower()
    return machine if machine and not _local_host(machine) else "bolin-events.invalid"


def _local_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    return Settings()
