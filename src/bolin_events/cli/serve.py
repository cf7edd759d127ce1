"""`bolin-events serve`: migrate, seed an empty database, sweep orphan photos and unused
pictures, then serve.

The listening socket is bound here, before uvicorn starts: ``--port 0`` then takes any free
port and the address is known (and printed) before the first worker runs. When
``BOLIN_PUBLIC_URL`` is unset, the public address follows the host and port listened on, so
feed links, QR codes and page links point where the server really is.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

import click
import uvicorn
from uvicorn.supervisors import Multiprocess

from bolin_events import migrate
from bolin_events.cli.common import in_transaction
from bolin_events.cli.photos import ORPHAN_AGE, sweep_photos
from bolin_events.services import seeding
from bolin_events.services.pictures import records as pictures
from bolin_events.settings import Settings, get_settings

APP = "bolin_events.app:create_app_from_env"
EVERYWHERE = ("0.0.0.0", "::", "")
WORKER_PING_SECONDS = 60


@click.command(
    help="迁移数据库、空库时载入种子数据，然后启动服务 / Migrate, seed an empty database, serve."
)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="0.0.0.0 to be reached from other machines")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="0: any free port (printed)")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="load the demo season into an empty database",
)
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    settings = get_settings()
    started = time.perf_counter()
    click.echo(f"数据库 / database: {settings.resolved_database_url.split('@')[-1]}")
    migrate.upgrade(settings)

    async def seed_if_empty(session: Any) -> bool:
        if not await seeding.is_empty(session):
            return False
        await seeding.seed(session, settings, demo=demo)
        return True

    if in_transaction(settings, seed_if_empty, audited=False):
        click.echo("空数据库，已载入种子数据 / empty database: seed loaded")
    swept = in_transaction(settings, lambda s: sweep_photos(s, settings, ORPHAN_AGE),
                           audited=False)
    if swept:
        click.echo(f"已清理未入库的照片文件 {len(swept)} 个 / removed {len(swept)} orphan photos")
    unused = in_transaction(settings, lambda s: pictures.sweep_unused(
        s, pictures.picture_store(settings), older_than=ORPHAN_AGE), audited=False)
    if unused:
        click.echo(f"已清理不再使用的活动图片文件 {len(unused)} 个 / removed {len(unused)} unused "
                   "picture files")
    settings.resolved_secret_key()  # made once here, not raced by several workers

    listener = listen(host, port)
    address = local_address(host, listener.getsockname()[1])
    settings = with_public_url(settings, address)
    click.echo(f"公开地址 / public address: {settings.public_url}")
    if host in EVERYWHERE and "public_url" not in settings.model_fields_set:
        click.echo("其他设备访问请设置 BOLIN_PUBLIC_URL / set BOLIN_PUBLIC_URL for other "
                   "machines: links now name this machine only")
    click.echo(f"准备用时 / ready in {time.perf_counter() - started:.2f}s → {address}/")
    run(listener, host, workers, settings)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, made as the event loop would make it: with the TCP protocol
    named, so that asyncio turns Nagle's algorithm off on every connection it accepts (a
    socket made without it, as socket.create_server makes them, left each answer's body
    waiting ~40 ms for the client's delayed acknowledgement of its headers)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as exc:
        listener.close()
        raise click.ClickException(f"无法监听 / cannot listen on {host}:{port}: {exc}") from exc
    listener.set_inheritable(True)  # handed to the worker processes
    return listener


def local_address(host: str, port: int) -> str:
    """How this machine reaches the server (a wildcard host is reached at the loopback)."""
    shown = "127.0.0.1" if host in EVERYWHERE else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def with_public_url(settings: Settings, address: str) -> Settings:
    """The settings the workers will read: BOLIN_PUBLIC_URL, when unset, becomes the address
    listened on (workers read settings from the environment)."""
    if "public_url" in settings.model_fields_set:
        return settings
    os.environ["BOLIN_PUBLIC_URL"] = address
    get_settings.cache_clear()
    return get_settings()


def run(listener: socket.socket, host: str, workers: int, settings: Settings) -> None:
    """uvicorn on the bound socket: in this process, or in ``workers`` processes."""
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=listener.getsockname()[1],
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,  # the app writes its own, cheaper lines (routes.access_log)
        loop=settings.event_loop,
        # uvicorn kills a worker that does not answer its supervisor's ping within this many
        # seconds; 5 (its default) killed busy workers under load (a ping waits its turn on
        # a worker busy with a crowd or a long import)
        timeout_worker_healthcheck=WORKER_PING_SECONDS,
        proxy_headers=True,
    )
    if workers > 1:
        Multiprocess(config, sockets=[listener]).run()
        return
    config.load_app()
    uvicorn.Server(config).run(sockets=[listener])
