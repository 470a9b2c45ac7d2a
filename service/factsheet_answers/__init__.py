"""Answers from factsheet profiles: the exact field, for the right country, across countries.

The profiles (``ingest.factsheet``) are computed when the engine loads a snapshot
(``factsheet_answers.library``). When a question's aspect is part of the template
(``factsheet_answers.template``) and its country is known, the answer comes from the profile
instead of from whichever passage scores best (``factsheet_answers.answerer``):

- a Table 1 field: its standardised categories and its explanation, each cited to its span
  (a sub-row the question singles out, such as "Starting year", comes first;
  ``factsheet_answers.fields``);
- continuity: the state of play with the sentence that states it, HISTORY's start and end
  years and explanation (predecessor programmes), and the rest of the continuity narrative;
- policy scope: "Does X have a dedicated cluster policy?" opens with a direct Yes or No, then
  Table 1's policy type and the sentences the decision relied on;
- evidence of performance and cluster support instruments: the option and its evidence
  (these three in ``factsheet_answers.state_of_play``);
- cooperation: the narrative; policy: its name and type.

Questions over several countries ("Which countries have a dedicated cluster policy?", "Which
policies are aligned with digitalisation?", "Compare the instruments of Morocco and X") get one
cited line per country (``factsheet_answers.comparisons``). Anything else goes to the extractive
answerer, as before.

Every citation is an exact span of a document's canonical text (``verify_citations`` holds).
"""
