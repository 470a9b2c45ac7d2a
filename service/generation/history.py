"""The conversation as the model reads it: the latest user message and the turns before it."""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.service.chat.schemas import ChatMessage
from policyqa.settings import GeneratorSettings


def conversation_turns(
    messages: Sequence[ChatMessage], settings: GeneratorSettings
) -> tuple[str, list[tuple[str, str]]]:
    """(latest user message, earlier user and assistant turns, the last ``history_turns``)."""
    turns: list[tuple[str, str]] = [
        (m.role, m.text) for m in messages if m.role in ("user", "assistant") and m.text
    ]
    last_user = max(index for index, (role, _) in enumerate(turns) if role == "user")
    earlier = turns[:last_user]
    return turns[last_user][1], earlier[-settings.history_turns :] if settings.history_turns else []
