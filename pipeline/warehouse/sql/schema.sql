-- The warehouse contract: analysts rely on these names (README, "Querying").
CREATE TABLE IF NOT EXISTS decks (
    deck_id     VARCHAR PRIMARY KEY,   -- first 16 hex digits of the file's SHA-256
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    org         VARCHAR,
    plan_year   INTEGER,
    map_date    DATE,
    page_count  INTEGER,
    ingested_at TIMESTAMP NOT NULL,
    parser_version INTEGER           -- parser that produced these rows (a version bump re-parses)
);
-- Versions of one office's deck for one plan year: the current one is what the views read; the
-- others stay, superseded (see pipeline.warehouse.versions for which is newer).
ALTER TABLE decks ADD COLUMN IF NOT EXISTS current BOOLEAN DEFAULT true;
ALTER TABLE decks ADD COLUMN IF NOT EXISTS superseded_by VARCHAR;      -- deck_id of the next newer version
ALTER TABLE decks ADD COLUMN IF NOT EXISTS pdf_modified TIMESTAMP;     -- the PDF's /ModDate (UTC)
ALTER TABLE decks ADD COLUMN IF NOT EXISTS pdf_created TIMESTAMP;      -- the PDF's /CreationDate (UTC)
ALTER TABLE decks ADD COLUMN IF NOT EXISTS load_order BIGINT;          -- when first loaded, the last tie-break
CREATE TABLE IF NOT EXISTS kpis (
    deck_id        VARCHAR NOT NULL,
    org            VARCHAR,
    plan_year      INTEGER,
    theme_code     VARCHAR,
    theme_name     VARCHAR,
    perspective    VARCHAR,
    objective_code VARCHAR,
    objective_name VARCHAR,
    kpi_code       VARCHAR,
    kpi_name       VARCHAR,
    page           INTEGER,
    kpi_key        VARCHAR
);
CREATE TABLE IF NOT EXISTS kpi_values (
    deck_id    VARCHAR NOT NULL,
    org        VARCHAR,
    plan_year  INTEGER,
    kpi_code   VARCHAR,
    year       INTEGER NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('actual', 'target')),
    value      DOUBLE,
    unit       VARCHAR,
    comparator VARCHAR CHECK (comparator IN ('>=', '<=')),
    status     VARCHAR NOT NULL CHECK (status IN ('reported', 'not_applicable', 'missing')),
    note       VARCHAR,
    raw_text   VARCHAR
);
CREATE TABLE IF NOT EXISTS action_plans (
    deck_id   VARCHAR NOT NULL,
    org       VARCHAR,
    plan_year INTEGER,
    kpi_code  VARCHAR,
    seq       INTEGER NOT NULL,
    plan_code VARCHAR,
    plan_name VARCHAR
);
CREATE TABLE IF NOT EXISTS rejected_files (
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    parser_version INTEGER
);
-- 'unreadable': not a usable deck; 'quarantined': read, but failed a blocking plausibility check;
-- 'retrying': parsing ran out of time or memory, tried again on the next refresh; 'limit_exceeded':
-- that happened `attempts` times, it stays until the file or the parser changes.
ALTER TABLE rejected_files ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'unreadable';
ALTER TABLE rejected_files ADD COLUMN IF NOT EXISTS attempts INTEGER DEFAULT 0;
-- What the plausibility checks found in each deck loaded or quarantined (pipeline.extract.plausibility).
CREATE TABLE IF NOT EXISTS deck_checks (
    source_file VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    check_name  VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('error', 'warning')),
    detail      VARCHAR NOT NULL,
    checked_at  TIMESTAMP NOT NULL
);
-- Which way is better per KPI identity, worked out at load time (see pipeline.load).
CREATE TABLE IF NOT EXISTS kpi_directions (
    org       VARCHAR NOT NULL,
    kpi_key   VARCHAR NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN ('higher', 'lower'))
);
-- A deck replaced by a different file for the same office and plan year (a republished deck).
CREATE TABLE IF NOT EXISTS deck_replacements (
    org             VARCHAR,
    plan_year       INTEGER,
    old_source_file VARCHAR,
    old_sha256      VARCHAR,
    new_source_file VARCHAR NOT NULL,
    new_sha256      VARCHAR NOT NULL,
    replaced_at     TIMESTAMP NOT NULL
);
-- Decks removed on purpose (`scorecards forget`): a folder refresh does not load them again.
CREATE TABLE IF NOT EXISTS forgotten_decks (
    sha256      VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    org         VARCHAR,
    plan_year   INTEGER,
    forgotten_at TIMESTAMP NOT NULL
);
-- What each office's kpi_key and kpi_directions were last worked out from (pipeline.warehouse.identities):
-- an office whose decks, overrides and linking rules are unchanged is not linked again.
CREATE TABLE IF NOT EXISTS identity_inputs (
    org         VARCHAR,
    fingerprint VARCHAR NOT NULL
);
