"""The messages sent to the model: instructions, the numbered statements, earlier turns, the
question.

The statements go in the last user message, numbered as the model must cite them; earlier turns
of the conversation come before it as they were, so that "summarise that in one sentence" has
something to refer to.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.service.statements import Statement

SYSTEM_PROMPT = (
    "You answer questions about cluster policy using only the numbered statements you are given. "
    "Write short sentences. End every sentence with the number of each statement it relies on, in "
    "square brackets, for example [2] or [1][3]. Copy numbers, years and names exactly as the "
    "statements write them. Do not add anything the statements do not say. If the statements do "
    "not answer the question, say so in one sentence without a citation."
)

#: Characters of one earlier turn passed on: enough for context, bounded for the prompt.
MAX_TURN_CHARS = 2000


def numbered(statements: Sequence[Statement]) -> str:
    """The statements as the model reads them: ``[n] text`` per line, n from 1."""
    return "\n".join(f"[{number}] {s.text}" for number, s in enumerate(statements, 1))


def build_messages(
    question: str,
    statements: Sequence[Statement],
    history: Sequence[tuple[str, str]] = (),
) -> list[dict[str, str]]:
    """The chat messages for one answer; ``history`` is (role, text) of earlier turns."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for role, text in history:
        if role in ("user", "assistant") and text.strip():
            messages.append({"role": role, "content": text[:MAX_TURN_CHARS]})
    messages.append(
        {
            "role": "user",
            "content": f"Statements:\n{numbered(statements)}\n\nQuestion: {question}",
        }
    )
    return messages
