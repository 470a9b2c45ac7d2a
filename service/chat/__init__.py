"""An OpenAI-compatible chat API over the question-answering engine.

``POST /v1/chat/completions`` (``service.routes.chat``) takes ``{model, messages, stream?}`` as the
OpenAI chat API does (sampling parameters are accepted and ignored: answers are extractive, so
there is nothing to sample) and answers the latest user message with the same cited answer
``/v1/ask`` gives. The answer text, with its ``[n]`` markers, is ``choices[0].message.content``;
the citations ride in extra top-level fields, ``citations`` (each the shape of a ``/v1/ask``
citation) and ``answerable``, which OpenAI SDKs keep as extra attributes. With ``stream: true``
the answer comes as Server-Sent Events of ``chat.completion.chunk`` objects, statement by
statement, the last chunk carrying the citations, then ``data: [DONE]`` (``chat.streaming``).
``GET /v1/models`` (``service.routes.models``) lists the one model.

The wire models are in ``chat.schemas``, the OpenAI error bodies in ``chat.openai_errors``.
Follow-ups read the conversation (``chat.conversation``): "What about its instruments?" after a
question on Morocco becomes a question restricted to Morocco, and "What about Valdoria?" the
previous question asked about Valdoria.
"""
