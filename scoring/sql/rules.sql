-- The SQL rules of DESIGN §6, each defined once as a TEMP macro of the connection
-- (scoring.measure.prepare installs them before any query runs; TEMP, so nothing is written to the
-- database file and a read-only connection can use them). Every query under scoring/sql and
-- queries/sql calls these instead of restating a rule; docs/ARCHITECTURE.md lists where each lives.
-- calendar_days() reads the temp table scoring_calendar_days that prepare() builds from
-- calendar_days.sql and rebuilds whenever the `calendar` table changes.

-- calendar_days(): every day of the working-day calendar extended 25 years each side (day,
-- is_workday, workday_no = running count of working days, source; 'estimated' outside the table).
CREATE OR REPLACE TEMP MACRO calendar_days() AS TABLE
    SELECT day, is_workday, workday_no, source FROM scoring_calendar_days;

-- workday_deadlines(ns): deadline(day, n) for every day of calendar_days() and every n in the
-- list ns: the n-th working day strictly after day (deadline), its workday_no (deadline_no) and
-- estimated = day or deadline is an estimated day, or the deadline falls outside the extended
-- calendar (deadline NULL). The big tables join this small (day, n) table instead of the calendar.
CREATE OR REPLACE TEMP MACRO workday_deadlines(ns) AS TABLE
    WITH cal AS MATERIALIZED (SELECT * FROM calendar_days())
    SELECT c.day, k.n, dl.day AS deadline, dl.workday_no AS deadline_no,
           (c.source = 'estimated' OR dl.day IS NULL OR dl.source = 'estimated') AS estimated
    FROM cal AS c
    CROSS JOIN (SELECT DISTINCT unnest(ns) AS n) AS k
    LEFT JOIN cal AS dl ON dl.is_workday AND dl.workday_no = c.workday_no + k.n;

-- deadline(x, n): DESIGN §6 deadline(x, N) for one value (NULL outside the extended calendar).
CREATE OR REPLACE TEMP MACRO deadline(x, n) AS (
    SELECT w.deadline FROM workday_deadlines([n]) AS w WHERE w.day = x
);

-- catalog_row_blanks(): every district catalog row with the list of its blank elements among the
-- nine (schema column names, in schema order). A ticked 对象/方式/层级 sub-column was stored as
-- text by the loader, so it counts as filled. The rule is the view scoring_catalog_row_blanks; the
-- macros below that read it take its name (`blanks`), so an evaluation computes it once into a temp
-- table (scoring.measure.shared_relations) and hands that table's name instead.
CREATE OR REPLACE TEMP VIEW scoring_catalog_row_blanks AS
    SELECT catalog_id, row_no, matched_item_id, level1, level2,
           list_filter([
               CASE WHEN coalesce(trim(level2), '') = '' THEN 'level2' END,
               CASE WHEN coalesce(trim(content), '') = '' THEN 'content' END,
               CASE WHEN coalesce(trim(basis), '') = '' THEN 'basis' END,
               CASE WHEN coalesce(trim(time_limit), '') = '' THEN 'time_limit' END,
               CASE WHEN coalesce(trim(subject), '') = '' THEN 'subject' END,
               CASE WHEN coalesce(trim(channels), '') = '' THEN 'channels' END,
               CASE WHEN coalesce(trim(audience), '') = '' THEN 'audience' END,
               CASE WHEN coalesce(trim(method), '') = '' THEN 'method' END,
               CASE WHEN coalesce(trim(disclosure_level), '') = '' THEN 'disclosure_level' END
           ], lambda x: x IS NOT NULL) AS blank_elements
    FROM district_catalog_rows;

CREATE OR REPLACE TEMP MACRO catalog_row_blanks() AS TABLE
    SELECT * FROM scoring_catalog_row_blanks;

-- best_catalog_rows(): a city item listed twice in one catalog counts once, by its most complete
-- row: per catalog and matched city item, the row with the fewest blank elements (then the first).
CREATE OR REPLACE TEMP MACRO best_catalog_rows(blanks := 'scoring_catalog_row_blanks') AS TABLE
    SELECT catalog_id, matched_item_id AS item_id, row_no, level1, level2, blank_elements
    FROM query_table(blanks)
    WHERE matched_item_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY catalog_id, matched_item_id
                               ORDER BY len(blank_elements), row_no) = 1;

-- scoring_best_catalog_rows: per catalog and matched city item, how many elements its best row
-- leaves blank (blanks). The relation scoring/sql/best_catalog_rows.sql computes once per
-- evaluation into a temp table; catalog_stats() takes its name (`best`), so the window function
-- ranking the rows runs once.
CREATE OR REPLACE TEMP VIEW scoring_best_catalog_rows AS
    SELECT catalog_id, item_id, len(blank_elements) AS blanks FROM best_catalog_rows();

-- catalog_versions(): every catalog version with the interval it is the effective catalog for,
-- [starts_on, ends_on) (ends_on NULL while it is the latest). A version loaded without a
-- publication date counts from the day it was loaded, never earlier; versions published on the
-- same day as a later-loaded one get an empty interval (ties go to the one loaded last).
CREATE OR REPLACE TEMP MACRO catalog_versions() AS TABLE
    SELECT catalog_id, code, starts_on, load_seq, document_no,
           lead(starts_on) OVER (PARTITION BY code ORDER BY starts_on, load_seq) AS ends_on
    FROM (SELECT catalog_id, district_code AS code, load_seq,
                 coalesce(published_on, CAST(loaded_at AS DATE)) AS starts_on,
                 nullif(trim(document_no), '') AS document_no
          FROM district_catalogs);

-- effective_catalogs(as_of): DESIGN §6 effective catalog of each unit as of a date (latest
-- published_on <= as_of; ties go to the one loaded last). Units without one have no row.
CREATE OR REPLACE TEMP MACRO effective_catalogs(as_of) AS TABLE
    SELECT code, catalog_id, starts_on AS published_on, document_no
    FROM catalog_versions()
    WHERE starts_on <= as_of AND (ends_on IS NULL OR ends_on > as_of);

-- catalog_stats(): per catalog version: rows, non-blank elements among the nine (summed over its
-- rows), city items matched (covered_items) and city items whose best row has all nine elements
-- (complete_items). `blanks` and `best` name the relations the rows and best rows are read from
-- (the views above, or temp tables holding them).
CREATE OR REPLACE TEMP MACRO catalog_stats(blanks := 'scoring_catalog_row_blanks',
                                           best := 'scoring_best_catalog_rows') AS TABLE
    WITH per_row AS (
        SELECT catalog_id, count(*) AS catalog_rows, sum(9 - len(blank_elements)) AS filled_elements
        FROM query_table(blanks) GROUP BY catalog_id
    ),
    per_item AS (
        SELECT b.catalog_id, count(*) AS covered_items,
               count(*) FILTER (WHERE b.blanks = 0) AS complete_items
        FROM query_table(best) AS b JOIN standard_catalog AS s ON s.item_id = b.item_id
        GROUP BY b.catalog_id
    )
    SELECT c.catalog_id, coalesce(r.catalog_rows, 0) AS catalog_rows,
           coalesce(r.filled_elements, 0) AS filled_elements,
           coalesce(i.covered_items, 0) AS covered_items, coalesce(i.complete_items, 0) AS complete_items
    FROM district_catalogs AS c
    LEFT JOIN per_row AS r USING (catalog_id)
    LEFT JOIN per_item AS i USING (catalog_id);
