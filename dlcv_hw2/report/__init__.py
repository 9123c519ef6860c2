"""The reports: typed blocks with computed numbers (blocks.py), their content one module per problem or
family (sections/), the documents that put it under each report's headings (documents.py: the registry
build_report.py builds from), the HTML, PDF and Markdown renderers, and the figures the workflow draws
(figures.py)."""
