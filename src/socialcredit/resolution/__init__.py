"""Entity resolution: records that arrived without an identifier, matched to persons."""
