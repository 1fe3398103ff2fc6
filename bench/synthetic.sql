-- Synthetic data for the benchmark, generated inside DuckDB (no Python row loops).
-- Parameters: units (number of units), per_unit (disclosures per unit), bound as $-names.
-- Deterministic: every value is a hash of the row's coordinates.
CREATE OR REPLACE MACRO h(a, b, m) AS (hash(a * 1000003 + b) % m)::BIGINT;
CREATE OR REPLACE MACRO formed(d, k) AS DATE '2020-07-01' + h(d, k, 2300)::INTEGER;
CREATE OR REPLACE MACRO pub(d, k) AS formed(d, k) + h(d + 17, k, 40)::INTEGER;

DELETE FROM districts; DELETE FROM district_aliases;
INSERT INTO districts (code, name, kind, code_note, sort_order)
SELECT printf('B%05d', i), printf('单位%05d', i),
       ['区', '县级市', '县', '功能区'][1 + i % 4], NULL, i
FROM range(1, $units + 1) t(i);
INSERT INTO district_aliases SELECT name, code FROM districts;

-- Two catalog versions per unit: v1 in 2020 (some late, some without 文号), v2 in 2022.
INSERT INTO district_catalogs
SELECT printf('B%05d-v%d', i, v), printf('B%05d', i),
       CASE WHEN v = 1 THEN DATE '2020-08-15' + h(i, 1, 90)::INTEGER ELSE DATE '2022-03-01' + h(i, 2, 600)::INTEGER END,
       CASE WHEN h(i, 3, 10) = 0 THEN NULL ELSE printf('文%05d〔2020〕%d号', i, v) END,
       NULL, NULL, 'synthetic', printf('hash-%05d-%d', i, v), v, TIMESTAMP '2026-11-01 00:00:00'
FROM range(1, $units + 1) t(i), range(1, 3) s(v)
WHERE v = 1 OR h(i, 4, 3) > 0;

INSERT INTO district_catalog_rows
SELECT c.catalog_id, s.seq, s.level1, s.level2, s.level1_key, s.level2_key,
       CASE WHEN h(c.load_seq, s.seq, 12) = 0 THEN NULL ELSE s.content END,
       s.basis, s.time_limit, s.subject, s.channels, s.audience, s.method, s.disclosure_level, s.item_id
FROM district_catalogs c, standard_catalog s
WHERE c.load_seq = 2 OR h(hash(c.district_code) % 100000, s.seq, 9) > 0;

INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_raw,
                         level1_key, level2_key, item_id, formed_on, published_on)
SELECT printf('B%05d-%d', d, k), printf('B%05d', d), printf('B%05d:log', d), k,
       CASE WHEN k % 50 = 0 THEN printf('《政策文件%d-%d》', d, k)
            WHEN k % 50 = 1 THEN printf('关于《政策文件%d-%d》的政策解读', d, k - 1)
            ELSE printf('公开信息%d-%d', d, k) END,
       s.level2, s.level1_key, s.level2_key, s.item_id,
       CASE WHEN k % 50 = 1 THEN formed(d, k - 1) ELSE formed(d, k) END,
       CASE WHEN k % 50 = 1 THEN pub(d, k - 1) + h(d, k, 6)::INTEGER ELSE pub(d, k) END
FROM range(1, $units + 1) a(d) CROSS JOIN range(0, $per_unit) b(k)
JOIN standard_catalog s ON s.seq = CASE WHEN k % 50 = 0 THEN 2 WHEN k % 50 = 1 THEN 40
                                        ELSE 1 + h(d, k, 43) END;
