"""Evaluation of the previous plan: dimension-1 rules, pages, forms, carry forward, demo data."""
