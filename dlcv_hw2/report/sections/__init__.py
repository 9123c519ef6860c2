"""The reports' content, one module per problem or family: each function reads a run's files and returns
named lists of typed blocks (blocks.py) that the documents (documents.py) put under their headings. Every
number is read from the run's files; the connecting text only states comparisons computed from them."""
