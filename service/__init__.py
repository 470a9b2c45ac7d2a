"""policyqa.service: questions answered with citations, over HTTP.

- ``types``: the query-side nouns (Question, Evidence, Answer, Citation, AskResult, Answerer).
- ``question``, ``countries``, ``aspects``: what a question asks (terms, countries, aspect).
- ``relevance``: the calibrated gate; ``statements``: the one way answers are composed and cited.
- ``extractive``: answers quoting the retrieved passages; ``factsheet_answers``: answers from
  factsheet profiles, for one country or across countries.
- ``pipeline``: ``QAEngine``, what the HTTP service, the CLI and the evaluation share.
- ``app``, ``routes``, ``schemas``, ``profile_schemas``, ``chat``, ``error_handlers``,
  ``engine_state``, ``reloading``: the HTTP service.
"""
