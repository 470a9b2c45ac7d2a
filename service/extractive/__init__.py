"""Answers composed from retrieved passages, every statement cited to an exact span.

No language model runs on these machines, so the default ``ExtractiveAnswerer``
(``extractive.answerer``) selects what answers the question from the retrieved passages and
composes it:

- When the best passage is a table row that states values (Table 1 of a factsheet: bold
  standardised categories, sub-rows such as "Financial" or "Starting year"), the answer gives the
  row's categories and values, then the most relevant sentences of its explanation
  (``extractive.rows``).
- Otherwise it gives the sentences that best match the question from the top passages
  (``extractive.sentences``), the passages re-ranked first (``extractive.passages``).
- When nothing retrieved is relevant enough (a threshold calibrated on answerable and
  off-corpus questions, see ``policyqa.eval.calibrate``), or the question names a country no
  document covers, it says so, sets ``answerable`` to False and cites nothing.

Every citation's quote is ``document.text[start:end]`` (``service.statements`` composes the
answer; ``verify_citations`` checks it). A generator calling an LLM endpoint would implement the
same ``Answerer`` protocol (``service.types``).
"""
