"""The law as platform data: the legal-basis registry and the two national allow-lists.

Shipped with the platform, never with a pack, so no pack can extend them:

* ``instruments.yaml`` -- every instrument a pack may cite (:mod:`.registry`),
  cited as ``"<id> art. <article>"`` (:mod:`.citation`);
* ``catalogue.yaml`` -- the National Public Credit Information Basic Catalogue
  as the platform models it: what information may be collected, with which
  attributes of which class (:mod:`.catalogue`);
* ``measures.yaml`` -- the National Basic List of Disciplinary Measures: which
  punishments may follow which information, on whom (:mod:`.basic_list`);
* ``actions.yaml`` -- the action codes relying parties may ask about
  (:mod:`.actions`).

A provincial or municipal pack may add catalogue and measure items in its own
``additions.yaml``, each citing a local regulation (:mod:`.additions`).
"""
