"""An import seen before it is made: the file kept between the preview and the confirmation,
and the digest that lets the confirmation apply exactly what was previewed.

The preview is the dry run the CLI and the API run. Its digest hashes the plan (every row's
action, changes and problems) with the data version it was planned against. The
confirmation imports the kept file for real and, in the same transaction, compares the digest
of what it did with the previewed one: on any difference the transaction is rolled back, so
nothing is written that nobody saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.errors import Conflict, InvalidInput, NotFound, StorageUnwritable, TooLarge
from bolin_events.schemas.imports import ImportReport
from bolin_events.services.heavy import off_loop
from bolin_events.services.imports import ics
from bolin_events.services.imports.rules import MappingRules, load_rules, rules_text
from bolin_events.services.imports.sheet import SheetRejected, import_sheet
from bolin_events.services.imports.writes import SHEET_SOURCE, check_source
from bolin_events.services.versions import Version, data_version
from bolin_events.settings import Settings

PENDING_DIR = "import-pending"
KEPT_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_FILE, _APPLYING, _PLAN, _DONE = "upload", "upload.applying", "plan.json", "done.json"
Kind = Literal["sheet", "ics"]


@dataclass(frozen=True)
class Upload:
    """A file to import and how: ``source`` as the CLI's --source."""

    filename: str
    kind: Kind
    source: str


@dataclass(frozen=True)
class Plan:
    report: ImportReport
    digest: str


class PlanChanged(Conflict):
    code = "plan_changed"

    def __init__(self) -> None:
        super().__init__("预览之后数据已经变化，请重新预览。",
                         "The data changed after the preview; preview it again.")


def upload_of(filename: str, content: bytes, source: str) -> Upload:
    """An .ics file (or one that reads as iCalendar) is a calendar; anything else a sheet,
    whose reader says in words when it is neither XLSX nor CSV."""
    name = filename.strip()[:200] or "import"
    is_ics = name.lower().endswith(".ics") or content.lstrip()[:15] == b"BEGIN:VCALENDAR"
    if is_ics and not source:
        raise InvalidInput(
            "导入日历文件（.ics）需要填写来源名称，例如 district。",
            "A calendar file (.ics) needs a source name, e.g. district.",
            [{"field": "source"}],
        )
    return Upload(name, "ics" if is_ics else "sheet", source or SHEET_SOURCE)


async def preview(
    session: AsyncSession, upload: Upload, content: bytes, settings: Settings
) -> Plan:
    """The dry run and its digest."""
    version = await data_version(session)
    report = await _run(session, upload, content, settings, dry_run=True)
    return Plan(report, await off_loop(plan_digest, report, version))


async def apply(
    session: AsyncSession, upload: Upload, content: bytes, settings: Settings, digest: str
) -> ImportReport:
    """The real import, if it does what the preview with ``digest`` showed; else PlanChanged
    (raised inside the transaction, so nothing of it is kept)."""
    version = await data_version(session)
    try:
        report = await _run(session, upload, content, settings, dry_run=False)
    except SheetRejected:  # a previewed sheet had no problems (else no confirming): it changed
        raise PlanChanged() from None
    if await off_loop(plan_digest, report, version) != digest:
        raise PlanChanged()
    return report


async def _run(
    session: AsyncSession, upload: Upload, content: bytes, settings: Settings, *, dry_run: bool
) -> ImportReport:
    if upload.kind == "sheet":
        return await import_sheet(session, content, upload.filename, settings,
                                  source=upload.source, dry_run=dry_run)
    if len(content) > settings.import_max_bytes:  # a sheet's import checks this itself
        megabytes = settings.import_max_bytes // 1_000_000
        raise TooLarge(f"文件超过 {megabytes} MB，请分成几个文件导入。",
                       f"The file is over {megabytes} MB; split it.")
    check_source(upload.source, sheet=False)  # before it names a rules file to read
    rules = await off_loop(_rules, settings, upload.source)
    return await ics.import_feed(session, content, settings, source=upload.source, rules=rules,
                                 dry_run=dry_run)


def _rules(settings: Settings, source: str) -> MappingRules:
    """The rules file the CLI would use for this source (DATA_DIR/import-rules/<source>.yaml)."""
    return load_rules(rules_text(settings, source, None))


def why_not(report: ImportReport) -> Label | None:
    """Why a preview cannot be confirmed, if it cannot: a sheet goes in whole or not at all
    (as the CLI and the API refuse it), and a plan that changes nothing has nothing to apply.
    A calendar's events that cannot be placed are skipped and the rest go in, as the CLI
    does."""
    counts = report.counts
    if report.kind == "sheet" and report.problems:
        return Label(
            f"表格中有 {len(report.problems)} 处问题。表格导入是全部或全不：请改正后重新上传预览。",
            f"The sheet has {len(report.problems)} problem(s). A sheet is imported whole or "
            "not at all: correct it and preview it again.",
        )
    if not (counts.create or counts.update or counts.cancel):
        return Label("没有需要改动的：文件中的活动都已是最新。",
                     "Nothing to change: every event in the file is already up to date.")
    return None


def plan_digest(report: ImportReport, version: Version) -> str:
    """What the import does, row by row, against which data. Event ids are left out: a dry
    run's new events take ids (PostgreSQL sequences) that the real run's will not have."""
    rows = [r.model_dump(mode="json", exclude={"event_id"}) for r in report.rows]
    plan = {
        "kind": report.kind,
        "source": report.source,
        "rows": rows,
        "problems": [p.model_dump(mode="json") for p in report.problems],
        "notes": report.notes,
        "version": [str(part) for part in version],
    }
    text = json.dumps(plan, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Kept:
    upload: Upload
    digest: str
    done: ImportReport | None  # what the confirmation wrote, once it has


class PendingImports:
    """Previewed files under ``DATA_DIR/import-pending/<token>/``: the upload, its plan
    (digest, file name, kind, source) and, once confirmed, what was written — so a second
    confirmation of the same token is told so instead of importing twice."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.data_dir / PENDING_DIR

    async def keep(self, upload: Upload, content: bytes, digest: str) -> str:
        """Stores the previewed file under a new token; previews a day old go first."""
        token = secrets.token_hex(16)
        try:
            await asyncio.to_thread(self._keep, token, upload, content, digest)
        except OSError as exc:  # full, read-only: the server's trouble, not the file's
            raise StorageUnwritable(exc.strerror or type(exc).__name__) from exc
        return token

    def _keep(self, token: str, upload: Upload, content: bytes, digest: str) -> None:
        self._sweep()
        folder = self.root / token
        folder.mkdir(mode=0o700, parents=True)
        (folder / _FILE).write_bytes(content)
        self._write_plan(folder, upload, digest)

    def _sweep(self) -> None:
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > KEPT_SECONDS:
                    shutil.rmtree(folder)

    @staticmethod
    def _write_plan(folder: Path, upload: Upload, digest: str) -> None:
        (folder / _PLAN).write_text(json.dumps({**asdict(upload), "digest": digest}))

    async def load(self, token: str) -> Kept:
        return await off_loop(self._load, token)

    def _load(self, token: str) -> Kept:
        folder = self._folder(token)
        try:
            plan = json.loads((folder / _PLAN).read_text())
        except (OSError, ValueError):
            raise _gone() from None
        done_file = folder / _DONE
        done = (ImportReport.model_validate_json(done_file.read_bytes())
                if done_file.is_file() else None)
        digest = plan.pop("digest")
        return Kept(Upload(**plan), digest, done)

    async def replan(self, token: str, upload: Upload, digest: str) -> None:
        """The digest of a fresh preview of the same file (after a refused confirmation)."""
        await asyncio.to_thread(self._write_plan, self._folder(token), upload, digest)

    @contextlib.asynccontextmanager
    async def claimed(self, token: str) -> AsyncIterator[bytes]:
        """The kept file, taken by one confirmation at a time (a rename is atomic): a second
        click, or a second tab, meanwhile finds it gone. Put back when the import fails."""
        folder = self._folder(token)
        try:
            await asyncio.to_thread((folder / _FILE).rename, folder / _APPLYING)
        except FileNotFoundError:
            raise Conflict("这次导入正在进行或已经完成，请稍候刷新页面。",
                           "This import is running or already done; reload in a moment.") from None
        try:
            yield await asyncio.to_thread((folder / _APPLYING).read_bytes)
        except BaseException:
            await asyncio.to_thread(_put_back, folder)
            raise

    async def content(self, token: str) -> bytes:
        return await asyncio.to_thread((self._folder(token) / _FILE).read_bytes)

    async def finish(self, token: str, report: ImportReport) -> None:
        """Keeps what was written (for the result page and a second confirmation) and deletes
        the file."""
        await off_loop(self._finish, self._folder(token), report)

    @staticmethod
    def _finish(folder: Path, report: ImportReport) -> None:
        (folder / _DONE).write_text(report.model_dump_json())
        (folder / _APPLYING).unlink(missing_ok=True)

    def _folder(self, token: str) -> Path:
        if not _TOKEN.match(token):
            raise _gone()
        return self.root / token


def _put_back(folder: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder / _APPLYING).rename(folder / _FILE)


def _gone() -> NotFound:
    return NotFound("找不到这次预览（预览只保留一天），请重新上传文件。",
                    "This preview no longer exists (previews are kept for a day); upload the "
                    "file again.")
