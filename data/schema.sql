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
-- disclosure_id is unique by construction (loaders.store: a source's rows are replaced as a whole
-- and row numbers within one load strictly increase, checked set-wise); no PRIMARY KEY index,
-- whose upkeep was the largest single cost of a 1M-row load (issue #17).
CREATE TABLE IF NOT EXISTS disclosures (
    disclosure_id VARCHAR NOT NULL,                -- source_key + row_no
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

-- ── access: evaluation rounds (考评轮次) and the audit trail ──
CREATE SEQUENCE IF NOT EXISTS round_seq START 1;
CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;

-- One evaluation round. A draft may be recomputed or deleted; circulating it (文号, date) makes
-- it immutable: its revisions are then only ever added to (accepted disputes), never changed.
CREATE TABLE IF NOT EXISTS rounds (
    round_id      BIGINT PRIMARY KEY,
    name          VARCHAR NOT NULL,                -- e.g. 2026年第三季度
    as_of         DATE NOT NULL,
    since         DATE NOT NULL,
    status        VARCHAR NOT NULL CHECK (status IN ('draft', 'circulated')),
    document_no   VARCHAR,                         -- 通报文号, set when circulated
    circulated_on DATE,
    circulated_at TIMESTAMP,
    circulated_by VARCHAR,
    created_at    TIMESTAMP NOT NULL,
    created_by    VARCHAR NOT NULL,
    CHECK (since <= as_of),
    CHECK (status = 'draft' OR (document_no IS NOT NULL AND circulated_on IS NOT NULL))
);

-- The stored evaluation of a round. Revision 0 is the round as computed (and, once circulated,
-- as circulated); each accepted dispute adds revision n+1. Everything a page or an export shows
-- for a round is read from here, never recomputed.
CREATE TABLE IF NOT EXISTS round_revisions (
    round_id         BIGINT NOT NULL,
    revision         INTEGER NOT NULL CHECK (revision >= 0),
    evaluation_json  VARCHAR NOT NULL,             -- scoring.Evaluation.to_json() as stored text
    context_json     VARCHAR NOT NULL,             -- the Excel report context (sources, rules, is_sample)
    rules_text       VARCHAR NOT NULL,             -- the rules file's text at computation time
    rules_version    VARCHAR NOT NULL,
    data_fingerprint VARCHAR NOT NULL,             -- md5 over the data tables the evaluation read
    computed_at      TIMESTAMP NOT NULL,
    computed_by      VARCHAR NOT NULL,
    note             VARCHAR,                      -- why this revision exists (e.g. the dispute)
    PRIMARY KEY (round_id, revision)
);

-- Append-only audit trail: who did what, when (sign-ins, lockouts, loads, rounds, exports).
CREATE TABLE IF NOT EXISTS audit_log (
    seq     BIGINT PRIMARY KEY,
    at_time TIMESTAMP NOT NULL,
    actor   VARCHAR NOT NULL,                      -- username, or 命令行:<os user> for the CLI
    action  VARCHAR NOT NULL,                      -- English id (accounts.audit.ACTIONS)
    target  VARCHAR,                               -- round id, file name, unit code …
    detail  VARCHAR                                -- JSON object with the particulars
);

-- ── crawl: portal columns, articles, conditional-GET state, drift events, item confirmations ──
-- (issue #15, DESIGN §8). Each crawled column is one disclosure source (source_key
-- '<code>:column:<url>'); its disclosures rows are rebuilt from crawl_articles after every crawl.

-- The last answer of every URL the crawler fetched: the conditional-GET validators and the
-- evidence file (under data/raw/, never rewritten) with its sha256.
CREATE TABLE IF NOT EXISTS crawl_pages (
    url           VARCHAR PRIMARY KEY,
    final_url     VARCHAR NOT NULL,               -- after redirects
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR NOT NULL,
    evidence      VARCHAR NOT NULL,               -- path of the kept bytes
    fetched_on    DATE NOT NULL
);

-- One registered [[column]] and the state of its last crawl.
CREATE TABLE IF NOT EXISTS crawl_columns (
    source_key    VARCHAR PRIMARY KEY,
    district_code VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    item          VARCHAR,                        -- the entry's item, as written
    breadcrumb    VARCHAR,                        -- column path read from the list page
    first_crawled DATE,                           -- first complete crawl (later ones change nothing here)
    pages         INTEGER NOT NULL DEFAULT 0
);

-- Every distinct entry of a column: followed articles, and off-site / off-field entries that are
-- recorded and shown but never scored.
CREATE TABLE IF NOT EXISTS crawl_articles (
    source_key      VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,             -- canonical article URL
    district_code   VARCHAR NOT NULL,
    row_no          INTEGER NOT NULL,             -- stable per source, in order of discovery
    title           VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('active', 'off_site', 'off_field', 'blocked', 'removed',
                                                       'failed')),  -- blocked: robots.txt disallows it
    list_date       DATE,                         -- date shown in the list
    published_on    DATE,                         -- displayed 发布日期 of the article page
    formed_on       DATE,                         -- 成文日期 field, else the signature date
    formed_basis    VARCHAR CHECK (formed_basis IN ('field', 'signature')),
    url_date        DATE,                         -- date embedded in the URL (t20240305_…)
    first_seen      DATE NOT NULL,                -- first crawl that listed it
    seen_late       BOOLEAN NOT NULL DEFAULT FALSE, -- first seen after the column's first crawl (first_seen is credible)
    backdated_days  INTEGER,                      -- days the URL/first-seen date is later than the displayed date
    index_no        VARCHAR,
    publisher       VARCHAR,
    document_no     VARCHAR,
    source_link     VARCHAR,                      -- 原文链接
    attachments     VARCHAR,                      -- attachment URLs, one per line
    item_id         VARCHAR,                      -- resolved city item; NULL = 未归类
    item_basis      VARCHAR CHECK (item_basis IN ('entry', 'column', 'classifier', 'confirmed')),
    suggested_item  VARCHAR,                      -- classifier's best item when below threshold
    confidence      DOUBLE,
    list_evidence   VARCHAR,                      -- list page evidence it was last seen on
    page_evidence   VARCHAR,                      -- article page evidence
    problem         VARCHAR,                      -- Chinese reason when status = 'failed'
    PRIMARY KEY (source_key, url)
);

-- Drift between crawls, with both evidence snapshots.
CREATE SEQUENCE IF NOT EXISTS crawl_event_seq START 1;
CREATE TABLE IF NOT EXISTS crawl_events (
    event_id      BIGINT PRIMARY KEY,
    district_code VARCHAR NOT NULL,
    source_key    VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('added', 'removed', 'title_changed', 'date_changed',
                                                    'catalog_changed')),
    url           VARCHAR NOT NULL,
    old_value     VARCHAR,
    new_value     VARCHAR,
    old_evidence  VARCHAR,
    new_evidence  VARCHAR,
    seen_on       DATE NOT NULL
);

-- The data steward's item decisions for crawled articles, reused on every later crawl.
CREATE TABLE IF NOT EXISTS crawl_confirmations (
    url          VARCHAR PRIMARY KEY,
    item_id      VARCHAR NOT NULL,
    confirmed_on DATE NOT NULL
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

-- ── manual: evaluator findings (人工核查记录) for [[manual]] indicators and [[bonus]] items ──
CREATE SEQUENCE IF NOT EXISTS finding_seq START 1;

-- One finding of the bureau about one unit and one indicator (or bonus item), from a date on.
-- Never updated: a later finding supersedes an earlier one from its applies_from date (same
-- date: the one recorded last); a finding dated after an evaluation's as_of does not count.
CREATE TABLE IF NOT EXISTS findings (
    finding_id      BIGINT PRIMARY KEY,
    district_code   VARCHAR NOT NULL,
    indicator       VARCHAR NOT NULL,              -- a [[manual]] or [[bonus]] id of the rules file
    value           DOUBLE NOT NULL,               -- 是/否 as 1/0, else the points given
    value_text      VARCHAR NOT NULL,              -- as entered (是, 否, 2 …)
    applies_from    DATE NOT NULL,
    note            VARCHAR,
    evidence_url    VARCHAR,                       -- an http(s) address, or
    evidence_file   VARCHAR,                       -- a copy under data/raw/findings/ (never rewritten)
    evidence_sha256 VARCHAR,                       -- of that file's bytes
    recorded_by     VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL,
    CHECK (evidence_file IS NULL OR evidence_sha256 IS NOT NULL)
);

-- ── rectify: rectification tasks (整改), disputes (申诉) and round measurements ──
-- Task and event ids are max + row_number inside the one writing transaction (tasks are
-- inserted a round at a time); disputes arrive one by one and take the sequence.
CREATE SEQUENCE IF NOT EXISTS dispute_seq START 1;

-- One rectification task per gap of a circulated round. gap_key names the same gap in a later
-- evaluation (scoring.rectification.gap_key); the task closes itself when its gap disappears.
CREATE TABLE IF NOT EXISTS rectification_tasks (
    task_id       BIGINT PRIMARY KEY,
    round_id      BIGINT NOT NULL,
    district_code VARCHAR NOT NULL,
    category      VARCHAR NOT NULL,                -- gap category (missing_item, no_disclosure …)
    item          VARCHAR,                         -- '一级/二级' when the gap concerns one item
    title         VARCHAR,                         -- disclosure title when it concerns one disclosure
    detail        VARCHAR NOT NULL,                -- the gap's Chinese sentence as circulated
    rule          VARCHAR,                         -- component id the gap costs points on
    gap_key       VARCHAR NOT NULL,
    assigned_on   DATE NOT NULL,                   -- the round's circulation date
    deadline      DATE NOT NULL,                   -- N working days after assigned_on
    status        VARCHAR NOT NULL CHECK (status IN ('open', 'reported', 'fixed', 'fixed_late', 'overdue')),
    fixed_on      DATE,                            -- first date the fix was seen (or confirmed)
    closed_by     VARCHAR CHECK (closed_by IS NULL OR closed_by IN ('system', 'bureau', 'dispute')),
    evidence_json VARCHAR,                         -- what closed it (catalog version, disclosure, dispute …)
    reported_on   DATE,                            -- district self-report (已整改（待核验）)
    report_json   VARCHAR,                         -- its note and evidence (URL, or file with sha256)
    checked_on    DATE,                            -- as-of date of the last verification
    UNIQUE (round_id, district_code, gap_key)
);

-- Every change of a task (created, verified, reported, confirmed, rejected, reopened …), append-only.
CREATE TABLE IF NOT EXISTS task_events (
    event_id    BIGINT PRIMARY KEY,
    task_id     BIGINT NOT NULL,
    at_time     TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,
    status_from VARCHAR,
    status_to   VARCHAR NOT NULL,
    detail      VARCHAR                            -- JSON object with the particulars
);

-- A district's dispute of one deduction (one task) of a circulated round. An accepted dispute
-- adds revision `revision` of the round with that deduction removed.
CREATE TABLE IF NOT EXISTS disputes (
    dispute_id      BIGINT PRIMARY KEY,
    round_id        BIGINT NOT NULL,
    task_id         BIGINT NOT NULL,
    district_code   VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    evidence_json   VARCHAR,
    filed_at        TIMESTAMP NOT NULL,
    filed_by        VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_at      TIMESTAMP,
    decided_by      VARCHAR,
    decision_reason VARCHAR,
    revision        INTEGER                        -- the round revision that applied it (accepted only)
);

-- Per unit measurements of each round revision (the inputs of scoring.decide), so an accepted
-- dispute recomputes score, grade and rank from what the round measured, never from live data.
CREATE TABLE IF NOT EXISTS round_measures (
    round_id      BIGINT NOT NULL,
    revision      INTEGER NOT NULL,
    district_code VARCHAR NOT NULL,
    measures_json VARCHAR NOT NULL,
    PRIMARY KEY (round_id, revision, district_code)
);
