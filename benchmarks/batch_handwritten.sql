-- The benchmark policy (benchmarks/batch_policy.py) written by hand as one DuckDB query,
-- as an analyst who knows the data would: one SELECT per rule with the attributes it
-- reads, typed by knowledge of the catalogue. {records}, {subjects}, {day} and {known_at}
-- are filled in by benchmarks/bench_batch.py.
WITH visible AS (
  SELECT seq, id, subject, category, occurred_at, attributes, supersedes, withdrawn
  FROM read_parquet('{records}')
  WHERE recorded_at <= TIMESTAMP '{known_at}' AND occurred_at <= DATE '{day}'
),
eff AS (
  SELECT seq, id, subject, category, occurred_at, attributes FROM visible v
  WHERE NOT withdrawn
    AND category IN ('judicial.judgment_default', 'judicial.judgment_fulfilled', 'tax.arrears',
                     'finance.loan_default', 'market.administrative_penalty',
                     'market.food_safety_violation', 'transport.traffic_violation',
                     'civic.volunteer_hours', 'registry.legal_representative',
                     'registry.controller', 'registry.consent', 'registry.residence')
    AND NOT EXISTS (SELECT 1 FROM visible w WHERE w.supersedes = v.id)
),
lives AS (
  -- where each person lives on the day: the residence record with the latest since
  SELECT subject, area FROM (
    SELECT subject, attributes->>'$.area' AS area, attributes->>'$.ended' AS ended,
           ROW_NUMBER() OVER (PARTITION BY subject ORDER BY attributes->>'$.since' DESC,
                              occurred_at DESC, seq DESC) AS rn
    FROM eff WHERE category = 'registry.residence' AND attributes->>'$.since' <= '{day}'
  ) WHERE rn = 1 AND (ended IS NULL OR ended > '{day}')
),
fulfilled AS (
  SELECT subject, attributes->>'$.case_no' AS act, MIN(occurred_at) AS day
  FROM eff WHERE category = 'judicial.judgment_fulfilled' GROUP BY ALL
),
holders AS (
  SELECT org, person, 'legal_representative' AS role FROM (
    SELECT subject AS org, attributes->>'$.person' AS person,
           ROW_NUMBER() OVER (PARTITION BY subject ORDER BY occurred_at DESC, seq DESC) AS rn
    FROM eff WHERE category = 'registry.legal_representative'
      AND (attributes->>'$.ended' IS NULL OR attributes->>'$.ended' > '{day}')
  ) WHERE rn = 1
  UNION ALL
  SELECT DISTINCT subject, attributes->>'$.person', 'controller' FROM eff
  WHERE category = 'registry.controller'
    AND (attributes->>'$.ended' IS NULL OR attributes->>'$.ended' > '{day}')
),
m AS (
  -- scheme, rule order, act key, base points, domain, effect days, half-life, repeat, cap
  SELECT subject, 'national' AS scheme, 0 AS ord, seq, occurred_at,
         COALESCE(attributes->>'$.case_no', id) AS act, -300.0::DOUBLE AS p,
         'judicial' AS domain, 1095 AS e, NULL::DOUBLE AS half, NULL::DOUBLE AS rep,
         4 AS cap, NULL AS via
  FROM eff WHERE category = 'judicial.judgment_default'
  UNION ALL
  SELECT subject, 'national', 1, seq, occurred_at, COALESCE(attributes->>'$.case_no', id),
         -100.0::DOUBLE, 'judicial', 1095, NULL, NULL, NULL, 'legal_representative'
  FROM eff WHERE category = 'judicial.judgment_default'
  UNION ALL
  SELECT subject, 'national', 2, seq, occurred_at, COALESCE(attributes->>'$.notice_no', id),
         -0.0002::DOUBLE * (attributes->>'$.amount')::DOUBLE, 'commercial', 365, 180.0,
         NULL, NULL, NULL
  FROM eff WHERE category = 'tax.arrears'
  UNION ALL
  SELECT subject, 'national', 3, seq, occurred_at, COALESCE(attributes->>'$.contract_no', id),
         -40.0::DOUBLE, 'commercial', 365, NULL, 1.5, NULL, NULL
  FROM eff WHERE category = 'finance.loan_default'
    AND (attributes->>'$.months_overdue')::INTEGER >= 3
  UNION ALL
  SELECT subject, 'national', 4, seq, occurred_at, COALESCE(attributes->>'$.decision_no', id),
         -50.0, 'commercial',
         CASE WHEN attributes->>'$.sector' = 'food' THEN 730 ELSE 365 END, NULL, NULL, NULL,
         NULL
  FROM eff WHERE category = 'market.administrative_penalty'
    AND attributes->>'$.penalty' IN ('fine', 'confiscation', 'suspension', 'licence_revoked')
  UNION ALL
  SELECT subject, 'national', 5, seq, occurred_at, COALESCE(attributes->>'$.decision_no', id),
         -150.0, 'commercial', 1095, NULL, NULL, NULL, NULL
  FROM eff WHERE category = 'market.food_safety_violation'
  UNION ALL
  SELECT subject, 'national', 6, seq, occurred_at, COALESCE(attributes->>'$.decision_no', id),
         -60.0, 'commercial', 1095, NULL, NULL, NULL, 'controller'
  FROM eff WHERE category = 'market.food_safety_violation'
  UNION ALL
  SELECT subject, 'national', 7, seq, occurred_at, COALESCE(attributes->>'$.ticket_no', id),
         -5.0, 'social', 90, NULL, 2.0, NULL, NULL
  FROM eff WHERE category = 'transport.traffic_violation'
    AND (attributes->>'$.penalty_points')::INTEGER >= 6
  UNION ALL
  SELECT subject, 'rongcheng', 8, seq, occurred_at, COALESCE(attributes->>'$.ticket_no', id),
         -5.0, 'social', 90, NULL, 2.0, NULL, NULL
  FROM eff WHERE category = 'transport.traffic_violation'
  UNION ALL
  SELECT subject, 'rongcheng', 9, seq, occurred_at, COALESCE(attributes->>'$.contract_no', id),
         -20.0, 'commercial', 365, NULL, NULL, NULL, NULL
  FROM eff WHERE category = 'finance.loan_default'
  UNION ALL
  SELECT subject, 'rongcheng', 10, seq, occurred_at, id,
         0.5::DOUBLE * (attributes->>'$.hours')::DOUBLE, 'social', 365, 120.0, NULL, NULL, NULL
  FROM eff WHERE category = 'civic.volunteer_hours'
),
ended AS (
  SELECT m.*, CASE WHEN m.ord = 0 AND f.day IS NOT NULL AND f.day < m.occurred_at + m.e
                   THEN f.day ELSE m.occurred_at + m.e END AS end_day
  FROM m LEFT JOIN fulfilled f ON m.ord = 0 AND f.subject = m.subject AND f.act = m.act
),
scored AS (
  SELECT * EXCLUDE (via) FROM ended WHERE via IS NULL
  UNION ALL BY NAME
  SELECT e.* EXCLUDE (via, subject, act), h.person AS subject, e.subject || ':' || e.act AS act
  FROM ended e JOIN holders h ON h.org = e.subject AND h.role = e.via
),
scope AS (
  SELECT id AS subject, 'national' AS scheme FROM read_parquet('{subjects}')
  UNION ALL
  SELECT s.id, 'rongcheng' FROM read_parquet('{subjects}') s JOIN lives l ON l.subject = s.id
  WHERE s.kind = 'person' AND l.area = '371082'
),
reps AS (
  SELECT s.* FROM scored s JOIN scope c USING (subject, scheme)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY subject, scheme, act
                             ORDER BY abs(p) DESC, occurred_at, seq, ord) = 1
),
repeated AS (
  SELECT *, CASE WHEN rep IS NOT NULL
                  AND LAG(occurred_at + e) OVER (PARTITION BY subject, ord
                                                 ORDER BY occurred_at, seq) > occurred_at
            THEN rep ELSE 1.0::DOUBLE END AS mult
  FROM reps
),
contrib AS (
  SELECT subject, scheme, domain, cap,
         p * mult * CASE WHEN half IS NULL THEN 1.0::DOUBLE
                         ELSE pow(0.5::DOUBLE, (DATE '{day}' - occurred_at) / half) END AS x
  FROM repeated WHERE end_day > DATE '{day}'
),
agg AS (
  SELECT subject, scheme,
         SUM(CAST(sign(x) * floor(abs(x) * 10000.0::DOUBLE + 0.5::DOUBLE) AS BIGINT)) AS units,
         SUM(CAST(sign(x) * floor(abs(x) * 10000.0::DOUBLE + 0.5::DOUBLE) AS BIGINT))
           FILTER (WHERE domain = 'commercial') AS commercial,
         SUM(CAST(sign(x) * floor(abs(x) * 10000.0::DOUBLE + 0.5::DOUBLE) AS BIGINT))
           FILTER (WHERE domain = 'social') AS social,
         SUM(CAST(sign(x) * floor(abs(x) * 10000.0::DOUBLE + 0.5::DOUBLE) AS BIGINT))
           FILTER (WHERE domain = 'judicial') AS judicial,
         MAX(cap) AS cap
  FROM contrib GROUP BY ALL
),
consent AS (
  SELECT subject, (attributes->>'$.given') = 'true' AS given FROM eff
  WHERE category = 'registry.consent' AND attributes->>'$.scheme' = 'rongcheng'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY subject ORDER BY occurred_at DESC, seq DESC) = 1
),
scores AS (
  SELECT c.subject, c.scheme,
         c.scheme = 'national' OR COALESCE(n.given, FALSE) AS ok,
         10000000 + COALESCE(a.units, 0) AS score,
         COALESCE(a.commercial, 0) AS commercial, COALESCE(a.social, 0) AS social,
         COALESCE(a.judicial, 0) AS judicial, COALESCE(a.cap, 0) AS cap
  FROM scope c
  LEFT JOIN agg a USING (subject, scheme)
  LEFT JOIN consent n ON n.subject = c.subject AND c.scheme = 'rongcheng'
)
SELECT subject, scheme,
       CASE WHEN ok THEN 'scored' ELSE 'no_consent' END AS status,
       CASE WHEN ok THEN score END::BIGINT AS score_units,
       0::BIGINT AS government_units,
       CASE WHEN ok THEN commercial ELSE 0 END::BIGINT AS commercial_units,
       CASE WHEN ok THEN social ELSE 0 END::BIGINT AS social_units,
       CASE WHEN ok THEN judicial ELSE 0 END::BIGINT AS judicial_units,
       CASE WHEN NOT ok THEN NULL
            WHEN scheme = 'national' THEN
              ['AAA', 'AA', 'A', 'B', 'C', 'D'][1 + greatest(cap,
                CASE WHEN score >= 9800000 THEN 0 WHEN score >= 9500000 THEN 1
                     WHEN score >= 9000000 THEN 2 WHEN score >= 8000000 THEN 3
                     WHEN score >= 6000000 THEN 4 ELSE 5 END)]
            ELSE
              ['AAA', 'AA', 'A', 'B', 'C', 'D'][1 +
                CASE WHEN score >= 10500000 THEN 0 WHEN score >= 10300000 THEN 1
                     WHEN score >= 9600000 THEN 2 WHEN score >= 8500000 THEN 3
                     WHEN score >= 6000000 THEN 4 ELSE 5 END]
       END AS grade
FROM scores
