-- 公开督导台: the one schema. Nothing else issues DDL.
-- Executed by loaders.db.init_database for the app, the CLI, the tests and the benchmarks.
-- Statements are idempotent (IF NOT EXISTS) so `loaders init` twice is harmless.

CREATE SEQUENCE IF NOT EXISTS load_seq START 1;

-- Key/value facts about this database file (is_sample, built_at, standard_source …).
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- The 16 units supervised by the bureau.
CREATE TABLE IF NOT EXISTS districts (
    code       VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL UNIQUE,
    kind       VARCHAR NOT NULL CHECK (kind IN ('区', '县级市', '县', '功能区')),
    code_note  VARCHAR,                -- why a code is project-assigned, where it is
    sort_order INTEGER NOT NULL
);

-- Every accepted spelling of a unit's name (full name, short names such as 经开区).
CREATE TABLE IF NOT EXISTS district_aliases (
    alias VARCHAR PRIMARY KEY,
    code  VARCHAR NOT NULL
);

-- Item-name synonyms applied by the name normaliser (公租房 -> 公共租赁住房 …).
CREATE TABLE IF NOT EXISTS item_synonyms (
    short_form VARCHAR PRIMARY KEY,
    long_form  VARCHAR NOT NULL
);

-- The city standard catalog: one row per second-level item (43 by default).
-- content … disclosure_level are the nine elements (事项名称 is level2).
CREATE TABLE IF NOT EXISTS standard_catalog (
    item_id             VARCHAR PRIMARY KEY,       -- 'S01' … in table order
    seq                 INTEGER NOT NULL UNIQUE,
    level1              VARCHAR NOT NULL,
    level2              VARCHAR NOT NULL,
    level1_key          VARCHAR NOT NULL,          -- normalised level1 (loaders.names.name_key)
    level2_key          VARCHAR NOT NULL,          -- normalised level2, the match key
    content             VARCHAR,
    basis               VARCHAR,
    time_limit          VARCHAR,
    subject             VARCHAR,
    channels            VARCHAR,
    audience            VARCHAR,
    method              VARCHAR,
    disclosure_level    VARCHAR,
    time_limit_workdays INTEGER CHECK (time_limit_workdays IS NULL OR time_limit_workdays > 0),
    notes               VARCHAR,
    sources             VARCHAR,
    confidence          VARCHAR NOT NULL CHECK (confidence IN ('high', 'medium', 'low', 'official'))
);

-- Working-day calendar. workday_no = number of working days on or before `day`
-- (a running count), so deadline(x, N) is the working day whose number is workday_no(x) + N.
CREATE TABLE IF NOT EXISTS calendar (
    day          DATE PRIMARY KEY,
    is_workday   BOOLEAN NOT NULL,
    workday_no   INTEGER NOT NULL,
    holiday_name VARCHAR,
    source       VARCHAR NOT NULL CHECK (source IN ('library', 'override', 'estimated'))
);

-- One published version of a district's catalog.
CREATE TABLE IF NOT EXISTS district_catalogs (
    catalog_id    VARCHAR PRIMARY KEY,             -- district code + content hash
    district_code VARCHAR NOT NULL,
    published_on  DATE,
    document_no   VARCHAR,                         -- 文号
    url           VARCHAR,                         -- portal page of the 基层政务公开专题
    filed_on      DATE,                            -- 备案日期
    source        VARCHAR NOT NULL,                -- file name or URL it was read from
    content_hash  VARCHAR NOT NULL,                -- sha256 of the file bytes
    load_seq      BIGINT NOT NULL,                 -- order of loading; ties on published_on go to the later load
    loaded_at     TIMESTAMP NOT NULL,
    UNIQUE (district_code, content_hash)
);

-- The rows of a district catalog. matched_item_id is NULL for a local addition (本地新增);
-- it is refreshed by SQL whenever the standard catalog is replaced.
CREATE TABLE IF NOT EXISTS district_catalog_rows (
    catalog_id       VARCHAR NOT NULL,
    row_no           INTEGER NOT NULL,             -- row in the source file (1-based, as a user sees it)
    level1           VARCHAR,
    level2           VARCHAR NOT NULL,
    level1_key       VARCHAR,
    level2_key       VARCHAR NOT NULL,
    content          VARCHAR,
    basis            VARCHAR,
    time_limit       VARCHAR,
    subject          VARCHAR,
    channels         VARCHAR,
    audience         VARCHAR,
    method           VARCHAR,
    disclosure_level VARCHAR,
    matched_item_id  VARCHAR,
    PRIMARY KEY (catalog_id, row_no)
);

-- Published (or pending) disclosures from a district's log. A row with formed_on but no
-- published_on is pending: it has a deadline but is not judged for timeliness until published.
CREATE TABLE IF NOT EXISTS disclosures (
    disclosure_id VARCHAR PRIMARY KEY,             -- source_key + row_no
    district_code VARCHAR NOT NULL,
    source_key    VARCHAR NOT NULL,                -- district code + source identity; a new version replaces its rows
    row_no        INTEGER NOT NULL,
    title         VARCHAR NOT NULL,
    item_raw      VARCHAR,                         -- 所属事项 as written
    level1_key    VARCHAR,                         -- normalised first-level name if given
    level2_key    VARCHAR,                         -- normalised second-level name if given
    item_id       VARCHAR,                         -- matched city item; NULL = 未归类
    formed_on     DATE,
    published_on  DATE,
    publisher     VARCHAR,
    url           VARCHAR,
    index_no      VARCHAR,
    channel       VARCHAR,
    CHECK (published_on IS NOT NULL OR formed_on IS NOT NULL)
);

-- Which content each disclosure source currently holds (for no-op reloads).
CREATE TABLE IF NOT EXISTS disclosure_sources (
    source_key    VARCHAR PRIMARY KEY,
    district_code VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    load_seq      BIGINT NOT NULL,
    loaded_at     TIMESTAMP NOT NULL
);

-- Audit: every load attempt, including refused ones. This log is the only thing a refused
-- load writes; every data table above is left exactly as it was.
CREATE TABLE IF NOT EXISTS load_runs (
    run_id        BIGINT PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('standard', 'catalog', 'disclosures')),
    district_code VARCHAR,
    source        VARCHAR NOT NULL,
    content_hash  VARCHAR,
    rows_read     INTEGER NOT NULL DEFAULT 0,
    rows_loaded   INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    result        VARCHAR NOT NULL CHECK (result IN ('loaded', 'unchanged', 'refused', 'partial')),
    message       VARCHAR
);

-- Every rejected row or problem of a load attempt, with its located Chinese reason.
CREATE TABLE IF NOT EXISTS rejected_rows (
    run_id      BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    problem     VARCHAR NOT NULL,                  -- LoadProblem kind (English enum)
    file        VARCHAR,
    sheet       VARCHAR,
    row_no      INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    message     VARCHAR NOT NULL,                  -- the Chinese message shown to users
    PRIMARY KEY (run_id, seq)
);

-- ── reliab: load history and undo ──
-- What each load changed, so `python -m loaders undo RUN_ID` can put back exactly what was there.
-- action: 'add_catalog' (catalog_id added), 'replace_source' (source_key's rows replaced; the old
-- rows are kept in disclosures_replaced / disclosure_sources_replaced), 'replace_standard' (old
-- city catalog kept in standard_catalog_replaced, old meta in previous_meta as JSON).
CREATE TABLE IF NOT EXISTS load_changes (
    run_id        BIGINT PRIMARY KEY,
    action        VARCHAR NOT NULL CHECK (action IN ('add_catalog', 'replace_source', 'replace_standard')),
    district_code VARCHAR,
    catalog_id    VARCHAR,
    source_key    VARCHAR,
    replaced_rows INTEGER NOT NULL DEFAULT 0,
    previous_meta VARCHAR,
    evidence      VARCHAR,                         -- path of the kept raw file (data/raw/...), if any
    undone_at     TIMESTAMP                        -- set when the load was undone
);

-- The replaced rows, in the shape of their tables (copied columns are matched by name on undo,
-- so a column another lane adds later is simply NULL in rows replaced before it existed).
CREATE TABLE IF NOT EXISTS disclosures_replaced AS
    SELECT CAST(NULL AS BIGINT) AS replaced_by_run, * FROM disclosures LIMIT 0;
CREATE TABLE IF NOT EXISTS disclosure_sources_replaced AS
    SELECT CAST(NULL AS BIGINT) AS replaced_by_run, * FROM disclosure_sources LIMIT 0;
CREATE TABLE IF NOT EXISTS standard_catalog_replaced AS
    SELECT CAST(NULL AS BIGINT) AS replaced_by_run, * FROM standard_catalog LIMIT 0;
