-- The benchmark floor (issue #17): ONE hand-written SQL query computing, per unit, the seven
-- components of DESIGN §6, the weighted score, the grade (with the no_catalog veto's cap) and the
-- rank, straight from the raw tables (no macros, no temp tables, no explanations or lists).
-- It reads the `calendar` table as it is: a day outside it has no deadline (the benchmark's data lie
-- inside it; verify.py checks this query against scoring.evaluate before it is timed).
-- Parameters: $as_of, $since, $window, $policy_level1, $policy_level2, $interp_level1,
-- $m2020 / $m2023 (milestone deadlines), $v_on_time / $v_late / $v_missed (milestone values),
-- $w_<component> (weights), $grade_names / $grade_mins (bands, best first), $no_catalog_cap
-- (the grade a unit without an effective catalog gets at most; NULL for none).
WITH n AS (SELECT count(*) AS items, count(DISTINCT level1) AS level1s FROM standard_catalog),
versions AS (
    SELECT catalog_id, district_code AS code, nullif(trim(document_no), '') AS document_no,
           coalesce(published_on, CAST(loaded_at AS DATE)) AS starts_on,
           lead(coalesce(published_on, CAST(loaded_at AS DATE)))
               OVER (PARTITION BY district_code ORDER BY coalesce(published_on, CAST(loaded_at AS DATE)), load_seq)
               AS ends_on
    FROM district_catalogs
),
row_stats AS (
    SELECT catalog_id, matched_item_id,
           (coalesce(trim(level2), '') <> '')::INT + (coalesce(trim(content), '') <> '')::INT
           + (coalesce(trim(basis), '') <> '')::INT + (coalesce(trim(time_limit), '') <> '')::INT
           + (coalesce(trim(subject), '') <> '')::INT + (coalesce(trim(channels), '') <> '')::INT
           + (coalesce(trim(audience), '') <> '')::INT + (coalesce(trim(method), '') <> '')::INT
           + (coalesce(trim(disclosure_level), '') <> '')::INT AS filled
    FROM district_catalog_rows
),
catalog_stats AS (
    SELECT r.catalog_id, count(*) AS catalog_rows, sum(r.filled) AS filled,
           count(DISTINCT s.item_id) AS covered, count(DISTINCT s.item_id) FILTER (WHERE r.filled = 9) AS complete
    FROM row_stats AS r LEFT JOIN standard_catalog AS s ON s.item_id = r.matched_item_id
    GROUP BY r.catalog_id
),
effective AS (
    SELECT v.code, st.* FROM versions AS v JOIN catalog_stats AS st USING (catalog_id)
    WHERE v.starts_on <= $as_of AND (v.ends_on IS NULL OR v.ends_on > $as_of)
),
firsts AS (
    SELECT d.district_code AS code, d.item_id, s.level1, min(d.published_on) AS first_on
    FROM disclosures AS d JOIN standard_catalog AS s USING (item_id)
    WHERE d.published_on IS NOT NULL GROUP BY ALL
),
judged AS (
    SELECT d.district_code AS code, count(dl.day) AS judged, count(*) FILTER (WHERE d.published_on <= dl.day) AS on_time
    FROM disclosures AS d
    JOIN standard_catalog AS s ON s.item_id = d.item_id AND s.time_limit_workdays IS NOT NULL
    JOIN calendar AS f ON f.day = d.formed_on
    LEFT JOIN calendar AS dl ON dl.is_workday AND dl.workday_no = f.workday_no + s.time_limit_workdays
    WHERE d.published_on BETWEEN $since AND $as_of
    GROUP BY ALL
),
policy AS (
    SELECT d.disclosure_id, d.district_code AS code, d.published_on, dl.day AS sync_deadline,
           unnest(list_distinct(regexp_extract_all(d.title, '[《〈]([^《》〈〉]+)[》〉]', 1))) AS name
    FROM disclosures AS d
    JOIN standard_catalog AS s ON s.item_id = d.item_id AND s.level1 = $policy_level1 AND s.level2 = $policy_level2
    LEFT JOIN calendar AS p ON p.day = d.published_on
    LEFT JOIN calendar AS dl ON dl.is_workday AND dl.workday_no = p.workday_no + $window
    WHERE d.published_on BETWEEN $since AND $as_of AND (contains(d.title, '《') OR contains(d.title, '〈'))
),
interps AS (
    SELECT d.district_code AS code, d.published_on,
           unnest(regexp_extract_all(d.title, '[《〈]([^《》〈〉]+)[》〉]', 1)) AS name
    FROM disclosures AS d
    WHERE d.published_on BETWEEN $since AND $as_of AND (contains(d.title, '《') OR contains(d.title, '〈'))
      AND (d.item_id IN (SELECT item_id FROM standard_catalog WHERE level1 = $interp_level1)
           OR d.level1_key IN (SELECT level1_key FROM standard_catalog WHERE level1 = $interp_level1))
),
sync AS (
    SELECT code, count(*) AS docs, count(*) FILTER (WHERE synced_on <= $as_of) AS synced
    FROM (SELECT p.code, p.disclosure_id, min(i.published_on) AS synced_on
          FROM policy AS p
          LEFT JOIN interps AS i ON i.code = p.code AND i.name = p.name
                                AND i.published_on BETWEEN p.published_on AND p.sync_deadline
          GROUP BY ALL)
    GROUP BY code
),
m2023 AS (
    SELECT v.code, min(greatest(v.starts_on, a.covered_on)) AS met_on
    FROM versions AS v
    JOIN catalog_stats AS st USING (catalog_id)
    JOIN (SELECT code, max(first_on) AS covered_on
          FROM (SELECT code, level1, min(first_on) AS first_on FROM firsts GROUP BY ALL), n
          GROUP BY code, n.level1s HAVING count(*) = n.level1s) AS a USING (code), n
    WHERE st.complete = n.items AND (v.ends_on IS NULL OR v.ends_on > v.starts_on)
      AND (v.ends_on IS NULL OR greatest(v.starts_on, a.covered_on) < v.ends_on)
    GROUP BY v.code
),
components AS (
    SELECT u.code, u.name, e.catalog_id IS NOT NULL AS has_catalog,
           coalesce(e.covered, 0) / n.items AS catalog_coverage,
           CASE WHEN coalesce(e.catalog_rows, 0) > 0 THEN e.filled / (9 * e.catalog_rows) ELSE 0 END
               AS element_completeness,
           (SELECT count(*) FROM firsts AS f WHERE f.code = u.code AND f.first_on <= $as_of) / n.items
               AS disclosure_coverage,
           CASE WHEN j.judged > 0 THEN j.on_time / j.judged END AS timeliness,
           CASE WHEN sy.docs > 0 THEN sy.synced / sy.docs END AS interpretation_sync,
           CASE WHEN m20.met_on <= $as_of AND m20.met_on <= $m2020 THEN $v_on_time
                WHEN m20.met_on <= $as_of THEN $v_late WHEN $as_of >= $m2020 THEN $v_missed END AS milestone_2020_09,
           CASE WHEN m23.met_on <= $as_of AND m23.met_on <= $m2023 THEN $v_on_time
                WHEN m23.met_on <= $as_of THEN $v_late WHEN $as_of >= $m2023 THEN $v_missed END AS milestone_2023_06
    FROM districts AS u CROSS JOIN n
    LEFT JOIN effective AS e ON e.code = u.code
    LEFT JOIN judged AS j ON j.code = u.code
    LEFT JOIN sync AS sy ON sy.code = u.code
    LEFT JOIN (SELECT code, min(starts_on) AS met_on FROM versions WHERE document_no IS NOT NULL GROUP BY code)
        AS m20 ON m20.code = u.code
    LEFT JOIN m2023 AS m23 ON m23.code = u.code
),
scored AS (
    SELECT *, round(CASE WHEN den > 0 THEN 100.0 * num / den ELSE 0 END, 2) AS score
    FROM (SELECT *,
                 coalesce($w_catalog_coverage * catalog_coverage, 0) + coalesce($w_element_completeness * element_completeness, 0)
                 + coalesce($w_disclosure_coverage * disclosure_coverage, 0) + coalesce($w_timeliness * timeliness, 0)
                 + coalesce($w_interpretation_sync * interpretation_sync, 0)
                 + coalesce($w_milestone_2020_09 * milestone_2020_09, 0)
                 + coalesce($w_milestone_2023_06 * milestone_2023_06, 0) AS num,
                 $w_catalog_coverage + $w_element_completeness + $w_disclosure_coverage
                 + CASE WHEN timeliness IS NULL THEN 0 ELSE $w_timeliness END
                 + CASE WHEN interpretation_sync IS NULL THEN 0 ELSE $w_interpretation_sync END
                 + CASE WHEN milestone_2020_09 IS NULL THEN 0 ELSE $w_milestone_2020_09 END
                 + CASE WHEN milestone_2023_06 IS NULL THEN 0 ELSE $w_milestone_2023_06 END AS den
          FROM components)
),
bands AS (SELECT unnest($grade_names::VARCHAR[]) AS grade, unnest($grade_mins::DOUBLE[]) AS min_score,
                 generate_subscripts($grade_names::VARCHAR[], 1) AS band)
SELECT s.code, s.name, s.catalog_coverage, s.element_completeness, s.disclosure_coverage, s.timeliness,
       s.interpretation_sync, s.milestone_2020_09, s.milestone_2023_06, s.score,
       (SELECT b.grade FROM bands AS b
        WHERE b.band >= greatest((SELECT min(b2.band) FROM bands AS b2 WHERE s.score >= b2.min_score),
                                 CASE WHEN NOT s.has_catalog
                                      THEN (SELECT b3.band FROM bands AS b3 WHERE b3.grade = $no_catalog_cap) END)
        ORDER BY b.band LIMIT 1) AS grade,
       rank() OVER (ORDER BY s.score DESC) AS rank
FROM scored AS s
ORDER BY rank, code
