"""Behaviour by domain: each module generates event blocks and renders its categories' attributes.

Every module exposes ``generate(world) -> list[Table]`` and ``RENDERERS``, a
mapping of category name to a function from :class:`Rows` to attribute
fragments.
"""
