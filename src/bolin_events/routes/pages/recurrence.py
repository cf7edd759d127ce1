"""The dates the event editor's repetition gives, before saving: event_form.js asks as the
scheduler changes the choice (the same form fields, in the query) and shows the answer's
sentence under the choice ("接下来 5 次：2027年9月15日 周三 · 农历八月十五 中秋节；…")."""

from __future__ import annotations

from typing import Any

from litestar import Response, get

from bolin_events.auth import page_allow
from bolin_events.errors import InvalidInput
from bolin_events.routes.deps import NOT_KEPT
from bolin_events.routes.pages.common import JSON_ANSWERS, AnyRequest
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import event_form, recurrence_preview
from bolin_events.web.render import request_lang


@get("/staff/recurrence/preview", guards=[page_allow("programme:write")],
     exception_handlers=JSON_ANSWERS, include_in_schema=False, name="recurrence_preview")
async def preview(request: AnyRequest, settings: Settings) -> Response[dict[str, Any]]:
    """``{"text": …, "dates": [{"date", "label"}]}`` in the page's language; a choice saving
    would refuse is a 422 whose ``text`` says why and ``errors`` name the form fields."""
    query = request.query_params
    form = event_form.read_form(query, query.getall("byday", []), query.getall("ending", []))
    english = request_lang(request) == "en"

    def said(zh: str, en: str | None) -> str:
        return (en or zh) if english else zh

    try:
        found = recurrence_preview.preview(form, zone(settings.timezone),
                                           settings.max_occurrences_per_series)
    except InvalidInput as refused:
        errors = {name: said(*words) for name, words in event_form.form_errors(refused).items()}
        text = next(iter(errors.values()), None) if len(errors) == 1 else None
        body = {"text": text or said(refused.zh, refused.en), "dates": [], "errors": errors}
        return Response(body, status_code=422, headers=NOT_KEPT)
    if found is None:
        return Response({"text": "", "dates": [], "errors": {}}, headers=NOT_KEPT)
    dates = [{"date": day.isoformat(), "label": said(*found.label(day))} for day in found.dates]
    return Response({"text": said(*found.sentence), "dates": dates, "errors": {}},
                    headers=NOT_KEPT)


RECURRENCE_PAGES: list[Any] = [preview]
