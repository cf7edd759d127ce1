"""What kind of browser a visitor uses, where it changes what a page offers.

WeChat's built-in browser (its user agent says ``MicroMessenger``) neither opens ``.ics`` files
nor follows ``webcal://`` links: pages shown inside it guide the visitor to the phone's own
browser instead of offering actions that silently do nothing.
"""

from __future__ import annotations

WECHAT_MARK = "micromessenger"


def is_wechat(user_agent: str | bytes | None) -> bool:
    if not user_agent:
        return False
    text = user_agent.decode("latin-1") if isinstance(user_agent, bytes) else user_agent
    return WECHAT_MARK in text.lower()
