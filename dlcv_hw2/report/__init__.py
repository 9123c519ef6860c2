"""The reports: typed blocks with computed numbers (blocks.py), their content (parts.py), the 2023 and face
GAN documents (homework.py), the 2022 and 2021 documents (years.py), the HTML and PDF renderers, and the
figures the workflow draws (figures.py)."""
