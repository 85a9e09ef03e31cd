"""The public lookup by name or code: the index of subjects' registered names
(``index.py``), the forms a name is searched in (``text.py``) and the query
(``search.py``)."""
