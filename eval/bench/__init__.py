"""The benchmark suite: ingest, queries, HTTP under load, vector search at scale, footprint.

Run ``make bench`` or ``python -m policyqa.eval.bench [--quick] [--out DIR]``; see ``run``.
"""
