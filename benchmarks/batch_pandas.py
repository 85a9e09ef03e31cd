"""The benchmark policy (benchmarks/batch_policy.py) in pandas, as an analyst would write it:
read the Parquet files, parse the JSON attributes, one frame per rule, then group, rank,
shift and sum. Same results as the compiled SQL, to the unit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

DOMAINS = ("government", "commercial", "social", "judicial")
NATIONAL = (("AAA", 980), ("AA", 950), ("A", 900), ("B", 800), ("C", 600), ("D", None))
CITY = (("AAA", 1050), ("AA", 1030), ("A", 960), ("B", 850), ("C", 600), ("D", None))
CATEGORIES = [
    "judicial.judgment_default", "judicial.judgment_fulfilled", "tax.arrears",
    "finance.loan_default", "market.administrative_penalty", "market.food_safety_violation",
    "transport.traffic_violation", "civic.volunteer_hours", "registry.legal_representative",
    "registry.controller", "registry.consent", "registry.residence",
]  # fmt: skip
PENALTIES = ["fine", "confiscation", "suspension", "licence_revoked"]


def _units(x: pd.Series) -> pd.Series:
    return (np.sign(x) * np.floor(np.abs(x) * 10000.0 + 0.5)).astype("int64")


def _rule(df: pd.DataFrame, scheme: str, order: int, key: str | None, points: pd.Series | float,
          domain: str, days: pd.Series | int, half: float | None = None,
          repeat: float | None = None, cap: int | None = None,
          via: str | None = None) -> pd.DataFrame:  # fmt: skip
    act = df["id"] if key is None else df["attrs"].str.get(key).fillna(df["id"]).astype(str)
    return pd.DataFrame({
        "subject": df["subject"], "scheme": scheme, "ord": order, "seq": df["seq"],
        "occurred_at": df["occurred_at"], "act": act, "p": points, "domain": domain,
        "e": days, "half": half, "rep": repeat, "cap": cap, "via": via,
    })  # fmt: skip


def effective(folder: Path, day: dt.date, known_at: dt.datetime) -> pd.DataFrame:
    """The effective records (visible, not replaced, not withdrawn), attributes as text."""
    rec = pd.read_parquet(folder / "records.parquet")
    rec["occurred_at"] = pd.to_datetime(rec["occurred_at"])
    d = pd.Timestamp(day)
    vis = rec[(rec["recorded_at"] <= pd.Timestamp(known_at)) & (rec["occurred_at"] <= d)]
    replaced = set(vis["supersedes"].dropna())
    return vis[~vis["withdrawn"] & ~vis["id"].isin(replaced)]


def evaluate(folder: Path, day: dt.date, known_at: dt.datetime) -> pd.DataFrame:
    eff = effective(folder, day, known_at)
    eff = eff[eff["category"].isin(CATEGORIES)]
    eff = eff.assign(attrs=eff["attributes"].map(json.loads))
    cat = {name: eff[eff["category"] == name] for name in CATEGORIES}
    num = lambda df, k: df["attrs"].str.get(k).astype(float)  # noqa: E731

    jd, tax, loan = (
        cat["judicial.judgment_default"],
        cat["tax.arrears"],
        cat["finance.loan_default"],
    )
    pen, food = cat["market.administrative_penalty"], cat["market.food_safety_violation"]
    traffic, vol = cat["transport.traffic_violation"], cat["civic.volunteer_hours"]
    pen = pen[pen["attrs"].str.get("penalty").isin(PENALTIES)]
    serious_traffic = traffic[num(traffic, "penalty_points") >= 6]
    overdue = loan[num(loan, "months_overdue") >= 3]
    pen_days = np.where(pen["attrs"].str.get("sector") == "food", 730, 365)
    m = pd.concat([
        _rule(jd, "national", 0, "case_no", -300.0, "judicial", 1095, cap=4),
        _rule(jd, "national", 1, "case_no", -100.0, "judicial", 1095, via="legal_representative"),
        _rule(tax, "national", 2, "notice_no", -0.0002 * num(tax, "amount"), "commercial", 365,
              half=180.0),
        _rule(overdue, "national", 3, "contract_no", -40.0, "commercial", 365, repeat=1.5),
        _rule(pen, "national", 4, "decision_no", -50.0, "commercial", pen_days),
        _rule(food, "national", 5, "decision_no", -150.0, "commercial", 1095),
        _rule(food, "national", 6, "decision_no", -60.0, "commercial", 1095, via="controller"),
        _rule(serious_traffic, "national", 7, "ticket_no", -5.0, "social", 90, repeat=2.0),
        _rule(traffic, "rongcheng", 8, "ticket_no", -5.0, "social", 90, repeat=2.0),
        _rule(loan, "rongcheng", 9, "contract_no", -20.0, "commercial", 365),
        _rule(vol, "rongcheng", 10, None, 0.5 * num(vol, "hours"), "social", 365, half=120.0),
    ], ignore_index=True)  # fmt: skip
    return assess(m, cat, folder, day)


def assess(
    m: pd.DataFrame, cat: dict[str, pd.DataFrame], folder: Path, day: dt.date
) -> pd.DataFrame:
    """From the rule matches ``m`` (one row per record and rule, in the shape ``_rule``
    builds) and the effective records by category (with parsed ``attrs``; the fulfilments,
    roles and consents are read): end days, roles, scope, one act once, repeats, decay,
    sums, consent, grades and caps."""
    d = pd.Timestamp(day)
    m["end"] = m["occurred_at"] + pd.to_timedelta(m["e"], unit="D")

    # ended_by: the first fulfilment of the same case
    fulfilled = cat["judicial.judgment_fulfilled"]
    first = (
        fulfilled.assign(act=fulfilled["attrs"].str.get("case_no"))
        .groupby(["subject", "act"], as_index=False)["occurred_at"]
        .min()
        .rename(columns={"occurred_at": "ended"})
    )
    m = m.merge(first.assign(ord=0), on=["subject", "act", "ord"], how="left")
    early = m["ended"].notna() & (m["ended"] < m["end"])
    m.loc[early, "end"] = m.loc[early, "ended"]

    # roles: who holds them on the day
    holders = []
    for role, category in (("legal_representative", "registry.legal_representative"),
                           ("controller", "registry.controller")):  # fmt: skip
        r = cat[category]
        ended = r["attrs"].str.get("ended")
        r = r[ended.isna() | (ended > day.isoformat())]
        r = r.assign(person=r["attrs"].str.get("person"), role=role)
        if role == "legal_representative":
            r = r.sort_values(["occurred_at", "seq"]).drop_duplicates("subject", keep="last")
        holders.append(r[["subject", "person", "role"]].drop_duplicates())
    roles = pd.concat(holders).rename(columns={"subject": "org"})
    own = m[m["via"].isna()]
    via = m[m["via"].notna()].merge(roles, left_on=["subject", "via"], right_on=["org", "role"])
    via = via.assign(act=via["subject"] + ":" + via["act"], subject=via["person"])
    m = pd.concat([own, via[own.columns]], ignore_index=True)

    subjects = pd.read_parquet(folder / "subjects.parquet")
    # where each person lives on the day: the residence record with the latest since
    res = cat["registry.residence"]
    res = res.assign(
        area=res["attrs"].str.get("area"),
        since=res["attrs"].str.get("since"),
        ended=res["attrs"].str.get("ended"),
    )
    res = res[res["since"] <= day.isoformat()]
    res = res.sort_values(["since", "occurred_at", "seq"]).drop_duplicates("subject", keep="last")
    res = res[res["ended"].isna() | (res["ended"] > day.isoformat())]
    here = set(res.loc[res["area"] == "371082", "subject"])
    city = subjects[(subjects["kind"] == "person") & subjects["id"].isin(here)]
    scope = pd.concat(
        [subjects[["id"]].assign(scheme="national"), city[["id"]].assign(scheme="rongcheng")]
    ).rename(columns={"id": "subject"})
    m = m.merge(scope, on=["subject", "scheme"])

    # one act counts once; repeats escalate
    m["abs_p"] = -m["p"].abs()
    m = m.sort_values(["subject", "scheme", "act", "abs_p", "occurred_at", "seq", "ord"])
    reps = m.drop_duplicates(["subject", "scheme", "act"]).sort_values(
        ["subject", "ord", "occurred_at", "seq"]
    )
    reach = reps["occurred_at"] + pd.to_timedelta(reps["e"], unit="D")
    prev_reach = reach.groupby([reps["subject"], reps["ord"]]).shift()
    escalates = reps["rep"].notna() & (prev_reach > reps["occurred_at"])
    reps["mult"] = np.where(escalates, reps["rep"], 1.0)

    active = reps[reps["end"] > d].copy()
    age = (d - active["occurred_at"]).dt.days
    weight = np.where(active["half"].isna(), 1.0, 0.5 ** (age / active["half"]))
    active["units"] = _units(active["p"] * active["mult"] * weight)
    per_domain = active.pivot_table(
        index=["subject", "scheme"], columns="domain", values="units", aggfunc="sum", fill_value=0
    )
    caps = active.groupby(["subject", "scheme"])["cap"].max()

    consent = cat["registry.consent"]
    consent = consent[consent["attrs"].str.get("scheme") == "rongcheng"]
    consent = consent.sort_values(["occurred_at", "seq"]).drop_duplicates("subject", keep="last")
    given = set(consent.loc[consent["attrs"].str.get("given") == True, "subject"])  # noqa: E712

    out = scope.set_index(["subject", "scheme"])
    out = out.join(per_domain).join(caps).reset_index()
    for domain in DOMAINS:
        out[f"{domain}_units"] = out[domain].fillna(0).astype("int64") if domain in out else 0
    ok = (out["scheme"] == "national") | out["subject"].isin(given)
    total = out[[f"{d}_units" for d in DOMAINS]].sum(axis=1)
    base = 10_000_000
    out["score_units"] = pd.array(np.where(ok, base + total, 0), dtype="Int64")
    out.loc[~ok, "score_units"] = pd.NA
    for d_ in DOMAINS:
        out.loc[~ok, f"{d_}_units"] = 0
    out["status"] = np.where(ok, "scored", "no_consent")
    score = (total + base).to_numpy()
    cap = out["cap"].fillna(0).to_numpy().astype(int)
    national = out["scheme"].to_numpy() == "national"
    rank = np.where(national, np.maximum(_band(score, NATIONAL), cap), _band(score, CITY))
    names = np.array([g for g, _ in NATIONAL])  # both scales name their grades alike
    out["grade"] = np.where(ok, names[rank], None)
    cols = ["subject", "scheme", "status", "score_units",
            *(f"{d}_units" for d in DOMAINS), "grade"]  # fmt: skip
    return out[cols]


def _band(score: np.ndarray, bands: tuple[tuple[str, int | None], ...]) -> np.ndarray:
    lows = [low for _, low in bands if low is not None]
    return np.select(
        [score >= low * 10_000 for low in lows], list(range(len(lows))), default=len(lows)
    )
