"""A defendant's earlier conduct is a case fact: a judge who hears repeat offenders and
sentences them as the others would is not flagged; hide that fact and he would be."""

from __future__ import annotations

import dataclasses

import numpy as np

from socialcredit.policy.supervision import SupervisionSettings
from socialcredit.store.database import Store
from socialcredit.supervision.judges import analyse, supervise_judges

from support.judges import RECIDIVIST_JUDGE, recidivist_system


def test_earlier_records_explain_longer_sentences(sqlite_store: Store) -> None:
    recidivist_system(sqlite_store)
    report = supervise_judges(sqlite_store)
    d = report.decisions
    assert set(d.priors[d.judge == RECIDIVIST_JUDGE]) == {2.0, 3.0}
    assert set(d.priors[d.judge != RECIDIVIST_JUDGE]) == {0.0, 1.0, 2.0, 3.0}
    assert report.flagged_judges == []
    hidden = dataclasses.replace(d, priors=np.full(len(d), np.nan))
    blind = analyse(hidden, SupervisionSettings())
    assert [j.judge for j in blind.flagged_judges] == [RECIDIVIST_JUDGE]
