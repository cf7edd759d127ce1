"""Attendance: filing reports (with Idempotency-Key), their history, photos, what is pending."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.pagination import OffsetPagination
from litestar.params import Body, HeaderParameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.models import utcnow
from bolin_events.routes.deps import (
    AnyRequest,
    DryRun,
    Limit,
    Offset,
    SlugList,
    once,
    reporter_of,
)
from bolin_events.schemas.attendance import (
    FIGURE_RULES,
    PhotoOut,
    ReportHistory,
    ReportIn,
    ReportOut,
)
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.attendance import history, idempotency, photos
from bolin_events.services.attendance import pending as pending_lists
from bolin_events.services.attendance import reports as attendance
from bolin_events.services.filters import split_slugs
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings
from bolin_events.storage import BlobStore

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        required=False,
        description="Any unique string (a UUID). A retry with the same key and body gets the "
        "first answer again (same status and body, header Idempotent-Replayed: true); the "
        "same key with a different body is a 409. Keys are kept per user.",
    ),
]
IDEMPOTENCY_DOC = (
    "\n\nSend an `Idempotency-Key` header so that a retry over a bad connection never counts "
    "twice: the same key and body give back the first answer; the same key with another "
    "body is refused (409 `idempotency_key_reused`). Only successful answers are kept, so a "
    "refused request can be retried after fixing it."
)


class ReportController(Controller):
    path = "/"
    tags = ["attendance"]

    @post(
        "/occurrences/{occurrence_id:str}/reports",
        guards=[allow("attendance:write")],
        summary="Report attendance for an occurrence",
        description="Files how many people took part (人次) in one held occurrence. The first "
        "report is revision 1; a later one is a correction and needs a `reason` — nothing is "
        "overwritten, the latest revision counts. Reporters report only for occurrences in "
        "their villages; schedulers and admins everywhere. Refused (409, with the reason) "
        "for a draft, cancelled or postponed event, a skipped or cancelled night, or one "
        "that has not started (reports open `BOLIN_REPORT_GRACE_MINUTES` before the start). "
        "`?dry_run=true` checks everything and answers 200 with what would be filed, "
        f"writing nothing.\n\n{FIGURE_RULES}{IDEMPOTENCY_DOC}",
    )
    async def file_report(
        self,
        db: AsyncSession,
        settings: Settings,
        request: AnyRequest,
        occurrence_id: str,
        data: ReportIn,
        idempotency_key: IdempotencyKey = None,
        dry_run: DryRun = False,
    ) -> Response[ReportOut]:
        reporter = reporter_of(request)
        wanted = idempotency.fingerprint(
            "POST", f"/occurrences/{occurrence_id}/reports", data.model_dump(mode="json")
        )
        return await once(
            db,
            reporter.user_id,
            idempotency_key,
            wanted,
            ReportOut,
            lambda: attendance.file_report(
                db, occurrence_id, data, reporter, settings, dry_run=dry_run
            ),
            dry_run=dry_run,
        )

    @get(
        "/occurrences/{occurrence_id:str}/reports",
        guards=[allow("staff:read")],
        summary="Attendance ledger of an occurrence",
        description="Every revision, oldest first, with who filed it, when, why (corrections) "
        "and what changed from the one before; `current` is the latest, the one that counts. "
        "Photos are listed with their staff-only download address. A reporter reads only "
        "their own villages' nights (403 otherwise), as on the pages.",
    )
    async def report_history(
        self, db: AsyncSession, request: AnyRequest, occurrence_id: str
    ) -> ReportHistory:
        return await history.history(db, occurrence_id, reporter_of(request))

    @get(
        "/reports/pending",
        guards=[allow("staff:read")],
        summary="Still to report",
        description="Occurrences that were held — ended, not skipped or cancelled, event "
        "published — and have no report yet, oldest first. `?village=a,b` narrows it; a "
        "reporter sees their own villages unless they name others.",
    )
    async def pending(
        self,
        db: AsyncSession, refs: RefData,
        request: AnyRequest,
        village: SlugList = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> OffsetPagination[OccurrenceOut]:
        villages: set[int] | None = None
        if village:
            villages = {refs.villages.id_of(slug) for slug in split_slugs(village)}
        else:
            scope = reporter_of(request).villages
            villages = None if scope is None else set(scope)
        items, total = await pending_lists.pending(db, refs, villages, utcnow(), limit, offset)
        return OffsetPagination[OccurrenceOut](items=items, total=total, limit=limit, offset=offset)


@dataclass
class PhotoUpload:
    photo: UploadFile


class PhotoController(Controller):
    path = "/"
    tags = ["attendance"]

    @post(
        "/occurrences/{occurrence_id:str}/photos",
        guards=[allow("attendance:write")],
        summary="Add a photo as evidence",
        description="multipart/form-data with one file in the field `photo`: a JPEG or PNG "
        "of at most `BOLIN_MAX_PHOTO_BYTES`. It is attached to the occurrence's current "
        "report (report first). Location and other metadata (EXIF, GPS, XMP) are removed "
        "before it is stored; the capture time is kept in the ledger. Photos are for staff "
        "only and never published. Anything else is refused (413 too large, 415 not a "
        f"JPEG/PNG) and nothing is stored.{IDEMPOTENCY_DOC}",
    )
    async def add_photo(
        self,
        db: AsyncSession,
        settings: Settings,
        store: BlobStore,
        request: AnyRequest,
        occurrence_id: str,
        data: Annotated[PhotoUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[PhotoOut]:
        reporter = reporter_of(request)
        raw = await data.photo.read()
        wanted = idempotency.fingerprint(  # hashing megabytes: off the event loop
            "POST", f"/occurrences/{occurrence_id}/photos", await off_loop(photos.digest, raw)
        )
        return await once(
            db,
            reporter.user_id,
            idempotency_key,
            wanted,
            PhotoOut,
            lambda: photos.add_photo(
                db,
                store,
                occurrence_id,
                reporter,
                raw,
                data.photo.filename,
                settings.max_photo_bytes,
            ),
        )

    @get(
        "/photos/{photo_id:int}",
        guards=[allow("staff:read")],
        summary="Download a photo (staff only)",
        description="The stored file, without metadata. Never cached by shared caches. A "
        "reporter gets only photos of their own villages' nights (403 otherwise).",
        media_type="application/octet-stream",
    )
    async def get_photo(
        self, db: AsyncSession, store: BlobStore, request: AnyRequest, photo_id: int
    ) -> Response[bytes]:
        photo, content = await photos.read_photo(db, store, photo_id, reporter_of(request))
        extension = photo.storage_key.rsplit(".", 1)[-1]
        return Response(
            content,
            media_type=photo.content_type,
            headers={
                "Cache-Control": "private, no-store",
                "Content-Disposition": f'inline; filename="photo-{photo.id}.{extension}"',
            },
        )


def attendance_routers(settings: Settings) -> list[Router]:
    """Photos get their own body limit: larger than a JSON body, a little over the photo limit."""
    return [
        Router(path="/api/v1", route_handlers=[ReportController]),
        Router(
            path="/api/v1",
            route_handlers=[PhotoController],
            request_max_body_size=settings.max_photo_bytes + 64_000,
        ),
    ]
