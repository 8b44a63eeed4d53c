-- Analysts' views. Every value row is tied to its KPI identity (org, kpi_key). They read current
-- decks only: a superseded version of a deck (decks.current false) keeps its rows in the tables.
CREATE OR REPLACE VIEW kpi_value_rows AS
SELECT k.org, k.kpi_key, k.kpi_code, k.kpi_name, v.year, v.kind, v.value, v.unit, v.comparator,
       v.status, v.note, v.deck_id, v.plan_year, d.ingested_at
FROM kpi_values v
JOIN kpis k ON k.deck_id = v.deck_id AND k.kpi_code IS NOT DISTINCT FROM v.kpi_code
JOIN decks d ON d.deck_id = v.deck_id
WHERE d.current;

-- Per (org, kpi_key, year, kind): what the newest deck says; restated when an older deck said otherwise.
CREATE OR REPLACE VIEW kpi_series AS
WITH ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY org, kpi_key, year, kind ORDER BY plan_year DESC, ingested_at DESC, deck_id
    ) AS newest_first
    FROM kpi_value_rows
)
SELECT n.org, n.kpi_key, n.kpi_code, n.kpi_name, n.year, n.kind, n.value, n.unit, n.comparator,
       n.status, n.note, n.deck_id, n.plan_year,
       EXISTS (
           SELECT 1 FROM ranked o
           WHERE o.org = n.org AND o.kpi_key = n.kpi_key AND o.year = n.year AND o.kind = n.kind
             AND o.newest_first > 1
             AND (o.status IS DISTINCT FROM n.status OR o.value IS DISTINCT FROM n.value)
       ) AS restated
FROM ranked n
WHERE n.newest_first = 1;

-- Per (org, kpi_key, year) with a target: the actual reported for that year, if any yet.
CREATE OR REPLACE VIEW kpi_attainment AS
SELECT t.org, t.kpi_key, t.kpi_code, t.kpi_name, t.year,
       t.value AS target_value, t.comparator, t.unit,
       a.value AS actual_value,
       coalesce(d.direction, 'higher') AS direction,
       CASE
           WHEN a.value IS NULL THEN NULL
           WHEN coalesce(d.direction, 'higher') = 'lower' THEN t.value / nullif(a.value, 0)
           ELSE a.value / nullif(t.value, 0)
       END AS attainment,
       CASE
           WHEN a.value IS NULL THEN NULL
           WHEN coalesce(d.direction, 'higher') = 'lower' THEN a.value <= t.value
           ELSE a.value >= t.value
       END AS achieved
FROM kpi_series t
LEFT JOIN kpi_series a
       ON a.org = t.org AND a.kpi_key = t.kpi_key AND a.year = t.year
      AND a.kind = 'actual' AND a.status = 'reported'
LEFT JOIN kpi_directions d ON d.org = t.org AND d.kpi_key = t.kpi_key
WHERE t.kind = 'target' AND t.status = 'reported';

-- Per (org, kpi_key, year) with an actual: the change from the previous year's actual.
CREATE OR REPLACE VIEW kpi_yoy AS
SELECT a.org, a.kpi_key, a.kpi_code, a.kpi_name, a.year,
       a.value AS actual_value,
       p.value AS prev_actual_value,
       a.value - p.value AS delta,
       (a.value - p.value) / nullif(p.value, 0) AS pct_change
FROM kpi_series a
LEFT JOIN kpi_series p
       ON p.org = a.org AND p.kpi_key = a.kpi_key AND p.year = a.year - 1
      AND p.kind = 'actual' AND p.status = 'reported'
WHERE a.kind = 'actual' AND a.status = 'reported';

-- One row per change between consecutive decks reporting the same (org, kpi_key, year, kind).
CREATE OR REPLACE VIEW kpi_restatements AS
WITH chained AS (
    SELECT *,
           lag(value) OVER w AS old_value,
           lag(status) OVER w AS old_status,
           lag(plan_year) OVER w AS old_plan_year
    FROM kpi_value_rows
    WINDOW w AS (PARTITION BY org, kpi_key, year, kind ORDER BY plan_year, ingested_at)
)
SELECT org, kpi_key, kpi_code, kpi_name, year, kind,
       old_value, old_status, old_plan_year,
       value AS new_value, status AS new_status, plan_year AS new_plan_year, note
FROM chained
WHERE old_plan_year IS NOT NULL
  AND (old_value IS DISTINCT FROM value OR old_status IS DISTINCT FROM status);
