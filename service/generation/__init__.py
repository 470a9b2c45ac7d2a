"""Answers written by an OpenAI-compatible model, every sentence verified against its citations.

- ``client``: streams chat completions over httpx (Server-Sent Events); failures are
  ``GenerationError``.
- ``evidence``: the numbered statements the model is given (``evidence_statements``).
- ``prompt``: the messages sent (instructions, statements, earlier turns, question).
- ``facts``: numbers, years, names and quoted phrases a sentence must share with its citations.
- ``support``: the lexical and semantic support score of a sentence against its quotes.
- ``verify``: sentence splitting, [n] markers, the verdict on each sentence, the verified answer.
- ``answerer``: ``GeneratingAnswerer`` behind the ``Answerer`` interface, with the fallback.

See docs/generation.md.
"""
