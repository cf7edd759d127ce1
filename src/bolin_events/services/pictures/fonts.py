"""The font the share image writes Chinese with: the one configured, else one the system has.

Looked for once per process (and per configured path): the packages fonts-noto-cjk and
fonts-wqy-microhei put theirs at the paths below; elsewhere fontconfig is asked for any font
that covers Chinese. With none, the share image is made without its Chinese text, and this
says so once in the log.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

KNOWN_PATHS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@functools.cache
def cjk_font(configured: Path | None) -> str | None:
    """A font file with Chinese characters, or None (logged once). Blocking (it may ask
    fontconfig): call it off the event loop."""
    if configured is not None:
        if configured.is_file():
            return str(configured)
        log.warning("BOLIN_FONT_PATH %s is not a file; looking for a Chinese font instead",
                    configured)
    found = next((str(p) for p in KNOWN_PATHS if p.is_file()), None) or _fontconfig()
    if found is None:
        log.warning("no Chinese font found (install fonts-noto-cjk or fonts-wqy-microhei, or "
                    "set BOLIN_FONT_PATH): share images are made without their Chinese text")
    return found


def _fontconfig() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh-cn", "-f", "%{file}\n"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted({line for line in listed.splitlines() if line.endswith(FONT_SUFFIXES)})
    sans = [f for f in files if "Sans" in f or "Hei" in f.title()]
    return next(iter(sans or files), None)
