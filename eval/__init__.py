"""Evaluation: gold questions through the full system and baselines (or a running service),
retrieval, citation, answer, abstention and latency metrics, and reports; and the calibration of
the "not covered" threshold. Sits on top of the other stages; nothing imports it.
"""
