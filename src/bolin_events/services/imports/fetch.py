"""Fetching a remote calendar through an injected httpx client, within time and size limits."""

from __future__ import annotations

import asyncio

import httpx

from bolin_events import __version__
from bolin_events.errors import InvalidInput, UpstreamError
from bolin_events.settings import Settings


def make_client(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The client an import uses; tests pass a MockTransport, production none."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.import_timeout_seconds),
        follow_redirects=True,
        max_redirects=settings.import_max_redirects,
        headers={
            "User-Agent": f"bolin-events/{__version__} (calendar import)",
            "Accept": "text/calendar, */*;q=0.5",
        },
    )


def _url(url: str) -> str:
    text = url.strip()
    if text.lower().startswith("webcal://"):
        text = "https://" + text[len("webcal://") :]
    if not text.lower().startswith(("http://", "https://")):
        raise InvalidInput(
            f"日历地址须以 http://、https:// 或 webcal:// 开头：{url}",
            f"The calendar address must start with http://, https:// or webcal://: {url}",
            [{"field": "url", "value": url[:200]}],
        )
    return text


async def fetch_calendar(client: httpx.AsyncClient, url: str, settings: Settings) -> bytes:
    """The body, or an UpstreamError that says in plain words what went wrong."""
    target = _url(url)
    limit, seconds = settings.import_max_bytes, settings.import_timeout_seconds
    try:
        async with asyncio.timeout(seconds):  # also bounds a server that drips bytes slowly
            return await _read(client, target, limit)
    except (TimeoutError, httpx.TimeoutException):
        raise UpstreamError(
            f"读取远程日历超时（{seconds:g} 秒）：{target}",
            f"The remote calendar did not answer within {seconds:g} s: {target}",
        ) from None
    except httpx.TooManyRedirects:
        raise UpstreamError(
            f"远程日历重定向超过 {settings.import_max_redirects} 次：{target}",
            f"The remote calendar redirected more than {settings.import_max_redirects} "
            f"times: {target}",
        ) from None
    except httpx.HTTPError as exc:
        raise UpstreamError(
            f"无法连接远程日历：{target}（{type(exc).__name__}）",
            f"Could not reach the remote calendar {target} ({type(exc).__name__}: {exc})",
        ) from None


async def _read(client: httpx.AsyncClient, url: str, limit: int) -> bytes:
    async with client.stream("GET", url) as response:
        if response.status_code >= 400:
            meaning = {404: "找不到", 401: "需要登录", 403: "拒绝访问", 410: "已删除"}
            raise UpstreamError(
                f"远程日历返回 {response.status_code}"
                f"（{meaning.get(response.status_code, '出错')}）：{url}",
                f"The remote calendar answered {response.status_code} "
                f"{response.reason_phrase}: {url}",
            )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(url, limit)
            chunks.append(chunk)
        return b"".join(chunks)


def _too_large(url: str, limit: int) -> UpstreamError:
    return UpstreamError(
        f"远程日历超过 {limit:,} 字节（BOLIN_IMPORT_MAX_BYTES）：{url}",
        f"The remote calendar is over {limit:,} bytes (BOLIN_IMPORT_MAX_BYTES): {url}",
    )
