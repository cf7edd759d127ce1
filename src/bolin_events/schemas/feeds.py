"""What /api/v1/feeds lists: every feed with the links people subscribe with."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FeedOut(BaseModel):
    kind: str = Field(description="all, categories, villages, venues or programmes")
    slug: str | None = Field(description="the category/village/venue/programme; null for all")
    title_zh: str
    title_en: str
    url: str = Field(description="https URL: Google Calendar \"From URL\", Outlook.com")
    webcal_url: str = Field(description="webcal:// URL: subscribes on iPhone, Mac, Outlook")
    google_url: str = Field(description="opens Google Calendar's add-by-URL dialog")
    qr_svg_url: str = Field(description="QR code of webcal_url (scan with an iPhone to subscribe)")
    qr_png_url: str
