"""YAML text to Python values, safely and fast.

PyYAML's ``safe_load`` parses in pure Python; the libyaml binding parses the
same documents to the same values (only safe tags) about eight times faster,
which is what loading the stored policy costs each ingestion and each start.
"""

from __future__ import annotations

from typing import Any

import yaml

# the C parser when PyYAML was built with libyaml (the wheels are), else the Python one
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The document in ``text``; raises :class:`yaml.YAMLError` when it is not YAML."""
    return yaml.load(text, Loader=LOADER)
