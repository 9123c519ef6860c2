"""Handing it in: each year's grading scripts as the TAs run them (grading.py; it runs on their machine,
so standard library and course packages only) and the checks of `snakemake submission` (submission.py)."""
