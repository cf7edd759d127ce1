"""Where uploaded files live: a folder under the data directory, behind a small interface.

An S3-compatible store can replace ``LocalStore`` by offering the same three methods; the
database keeps only the key.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

from bolin_events.errors import StorageUnwritable

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,199}$")


@runtime_checkable
class BlobStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class LocalStore:
    """Files under ``root``; a write lands whole (temporary file, then rename) or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            await asyncio.to_thread(self._write, self._path(key), data)
        except OSError as exc:  # read-only, full, not ours: the server's trouble, not input
            raise StorageUnwritable(exc.strerror or type(exc).__name__) from exc

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def listing(self) -> list[tuple[str, float]]:
        """Every stored key with its file's modification time (Unix seconds), and any
        half-written temporary file left by a crash (they start with ``.upload-``)."""
        return await asyncio.to_thread(self._listing)

    def _listing(self) -> list[tuple[str, float]]:
        if not self.root.is_dir():
            return []
        return [
            (path.relative_to(self.root).as_posix(), path.stat().st_mtime)
            for path in self.root.rglob("*")
            if path.is_file()
        ]

    async def remove_temporary(self, name: str) -> None:
        """Deletes a leftover ``.upload-`` file (not a key: keys never start with a dot)."""
        path = self.root / name
        if path.name.startswith(".upload-") and path.resolve().is_relative_to(self.root.resolve()):
            await asyncio.to_thread(path.unlink, True)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def writable(root: Path) -> str | None:
    """None when a file can be made (and removed) under ``root``, else why not."""
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, probe = tempfile.mkstemp(dir=root, prefix=".ready-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None
