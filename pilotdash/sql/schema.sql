-- The store: one table per entity of shared/domain.md, keyed as in the data contract.
-- `{enum:NAME}` is replaced by the quoted codes of pilotdash.domain.ENUMS[NAME] (trusted
-- constants, never user input), so the CHECK lists and the upload validation cannot drift.
-- No foreign keys: DuckDB rewrites a referenced row on update, so references are checked by
-- the upload validation instead, with a message that says which row.

CREATE TABLE IF NOT EXISTS provinces (
    province_code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    belt VARCHAR NOT NULL CHECK (belt IN {enum:belt}),
    tile_row INTEGER NOT NULL,
    tile_col INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS indicators (
    indicator_code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    category VARCHAR NOT NULL CHECK (category IN {enum:indicator_category}),
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN {enum:direction}),
    national_target DOUBLE CHECK (national_target >= 0)
);

CREATE TABLE IF NOT EXISTS projects (
    project_id VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    domain VARCHAR NOT NULL CHECK (domain IN {enum:domain}),
    pilot_type VARCHAR NOT NULL CHECK (pilot_type IN {enum:pilot_type}),
    province_code VARCHAR NOT NULL,
    city VARCHAR,
    lead_unit VARCHAR,
    batch_year INTEGER CHECK (batch_year BETWEEN 1949 AND 2100),
    start_date DATE,
    end_date DATE,
    status VARCHAR NOT NULL CHECK (status IN {enum:project_status}),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    -- the day the stored status began (empty: it has always held); before it the pilot was active
    status_date DATE,
    -- the national division codes (pilotdash/places.py); added to older stores by schema.py
    city_code VARCHAR,
    county_code VARCHAR
);

CREATE TABLE IF NOT EXISTS phases (
    project_id VARCHAR NOT NULL,
    phase VARCHAR NOT NULL CHECK (phase IN {enum:phase}),
    planned_start DATE,
    planned_end DATE,
    actual_start DATE,
    actual_end DATE,
    PRIMARY KEY (project_id, phase),
    CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
    CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
);

CREATE TABLE IF NOT EXISTS milestones (
    milestone_id VARCHAR PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    phase VARCHAR CHECK (phase IN {enum:phase}),
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN {enum:milestone_kind}),
    due_date DATE NOT NULL,
    done_date DATE
);

-- Empty scope columns mean "any"; uniqueness of the scope is enforced by the upload, since a
-- primary key cannot hold NULLs.
CREATE TABLE IF NOT EXISTS targets (
    indicator_code VARCHAR NOT NULL,
    target_value DOUBLE NOT NULL CHECK (target_value >= 0),
    project_id VARCHAR,
    province_code VARCHAR,
    belt VARCHAR CHECK (belt IN {enum:belt}),
    phase VARCHAR CHECK (phase IN {enum:phase})
);

CREATE TABLE IF NOT EXISTS readings (
    project_id VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    actual_value DOUBLE NOT NULL,
    PRIMARY KEY (project_id, indicator_code, period_end)
);

CREATE TABLE IF NOT EXISTS budget_lines (
    project_id VARCHAR NOT NULL,
    fiscal_year INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1949 AND 2100),
    source VARCHAR NOT NULL CHECK (source IN {enum:source}),
    category VARCHAR NOT NULL CHECK (category IN {enum:budget_category}),
    allocated DOUBLE NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    disbursed DOUBLE NOT NULL DEFAULT 0 CHECK (disbursed >= 0),
    spent DOUBLE NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (project_id, fiscal_year, source, category)
);

CREATE TABLE IF NOT EXISTS risks (
    risk_id VARCHAR PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    category VARCHAR NOT NULL CHECK (category IN {enum:risk_category}),
    description VARCHAR,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    status VARCHAR NOT NULL CHECK (status IN {enum:risk_status}),
    owner VARCHAR,
    identified_on DATE
);

-- Facts about the store itself: where the data came from, when it was built.
CREATE TABLE IF NOT EXISTS store_meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per applied upload; the row images it changed are in upload_changes so that it can
-- be rolled back exactly.
CREATE TABLE IF NOT EXISTS upload_log (
    upload_id INTEGER PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    mode VARCHAR,                  -- clean_only: the file had no errors; valid_rows: errors skipped
    status VARCHAR NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'rolled_back')),
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR
);

CREATE TABLE IF NOT EXISTS upload_changes (
    upload_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,      -- JSON object of the natural key
    action VARCHAR NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before_row VARCHAR,            -- JSON of the whole row before (NULL for insert)
    after_row VARCHAR              -- JSON of the whole row after an update (NULL otherwise)
);
-- seq is the file row the change came from (unique within an upload). No primary key: an index
-- would cost a million-row upload seconds for nothing.

-- Submissions 填报与审核 (pilotdash/submissions.py): an upload that waits for review. The file's
-- bytes and the table are kept so that approval applies exactly what was validated (the file is
-- prepared again with the submitter's scope and must give the same rows, see submission_rows);
-- nothing is pickled. Ids are max + 1 inside the write transaction (DuckLake has no sequences);
-- no constraint is relied on (DuckLake strips them): the states are checked by submissions.py.
CREATE TABLE IF NOT EXISTS submissions (
    submission_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    file_bytes BLOB NOT NULL,
    mode VARCHAR NOT NULL,            -- clean_only, or valid_rows: the rejected rows left out
    submitted_by VARCHAR NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    scope_kind VARCHAR NOT NULL,      -- the submitter's scope when submitted (rows checked against it)
    scope_codes VARCHAR[] NOT NULL,
    level VARCHAR NOT NULL,           -- the narrowest scope kind that covers every row
    provinces VARCHAR[] NOT NULL,     -- the provinces its rows touch
    projects VARCHAR[] NOT NULL,      -- the pilots its rows touch
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    data_version VARCHAR NOT NULL,    -- the store's data version its rows were checked against
    checked_at TIMESTAMP NOT NULL,    -- when: submitted, or re-checked after it went stale
    state VARCHAR NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected', 'withdrawn', 'rolled_back')),
    reviewed_by VARCHAR,              -- who approved or rejected (the submitter: applied without review)
    reviewed_at TIMESTAMP,
    reason VARCHAR,                   -- why it was rejected (shown to the submitter)
    upload_id INTEGER,                -- the upload it was applied as
    rolled_back_by VARCHAR,
    rolled_back_at TIMESTAMP
);
-- Its valid rows as checked: the key, what it does, the stored row then (NULL: a new row) and the
-- row it writes (JSON, as upload_changes). A submission is stale when a stored row is no longer
-- its before image; seq is the file row.
CREATE TABLE IF NOT EXISTS submission_rows (
    submission_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    row_key VARCHAR NOT NULL,
    action VARCHAR NOT NULL,          -- insert, update, unchanged
    before_row VARCHAR,
    after_row VARCHAR NOT NULL
);

-- Saved views 常用视图: a named link to a view, shared by every user of the store. `params`
-- holds the view's canonical URL parameters as JSON and is parsed again (strictly) when opened,
-- exactly like a link; it never holds session or sign-in state.
CREATE TABLE IF NOT EXISTS saved_views (
    view_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 60),
    page VARCHAR NOT NULL,
    params VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Early warning 预警 (pilotdash/warnings): one row per pilot x condition x trigger x time it
-- held; a condition that clears resolves its row, one that returns gets a new row (previous_id
-- points at the one before). Every change of level or state is an event in warning_events.
CREATE TABLE IF NOT EXISTS warnings (
    warning_id INTEGER PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    condition VARCHAR NOT NULL,
    trigger_kind VARCHAR NOT NULL,    -- milestone, indicator, budget_line, risk, fiscal_year, project
    trigger_id VARCHAR NOT NULL,      -- '' for a condition of the whole pilot
    level VARCHAR NOT NULL CHECK (level IN ('red', 'orange', 'yellow')),
    detail DOUBLE,                    -- days overdue, risk score, SPI/CPI, execution rate, ...
    raised_on DATE NOT NULL,          -- the as-of date it first held
    raised_at TIMESTAMP NOT NULL,     -- when the ledger raised it (UTC)
    respond_by TIMESTAMP NOT NULL,    -- raised_at (or escalated_at) + 24/48/72 h by level
    owner VARCHAR,                    -- the pilot's lead unit, or the risk's owner
    state VARCHAR NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'closed')),
    escalated_at TIMESTAMP,
    response_note VARCHAR,
    plan_date DATE,
    acknowledged_by VARCHAR,
    acknowledged_at TIMESTAMP,
    resolved_on DATE,
    resolved_at TIMESTAMP,
    close_reason VARCHAR,
    closed_by VARCHAR,
    closed_at TIMESTAMP,
    cleared_on DATE,                  -- a closed warning's condition no longer held on this date
    previous_id INTEGER               -- the earlier warning of the same pilot, condition, trigger
);
CREATE TABLE IF NOT EXISTS warning_events (
    event_id INTEGER PRIMARY KEY,
    warning_id INTEGER NOT NULL,
    event_at TIMESTAMP NOT NULL,
    event VARCHAR NOT NULL CHECK (event IN ('raised', 'escalated', 'lowered', 'acknowledged', 'resolved', 'closed')),
    by_user VARCHAR NOT NULL,
    level VARCHAR,
    as_of DATE,
    note VARCHAR,
    plan_date DATE
);
-- Subscriptions and the outbox of notices: one notice per subscription, warning and event
-- (raised, or escalated to a level), kept until sent; failed ones wait for their next attempt.
CREATE TABLE IF NOT EXISTS warning_subscriptions (
    subscription_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    lang VARCHAR NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    scope_kind VARCHAR NOT NULL CHECK (scope_kind IN ('national', 'belt', 'province', 'pilots')),
    scope_codes VARCHAR[] NOT NULL,                 -- no DEFAULT: DuckLake has none for LISTs
    min_level VARCHAR NOT NULL CHECK (min_level IN ('red', 'orange', 'yellow')),
    email VARCHAR,
    webhook_kind VARCHAR CHECK (webhook_kind IN ('wecom', 'dingtalk', 'feishu')),
    webhook_url VARCHAR,
    webhook_secret VARCHAR,           -- DingTalk signing secret (kept in the store, never shown)
    created_at TIMESTAMP NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    CHECK (email IS NOT NULL OR webhook_url IS NOT NULL)
);
CREATE TABLE IF NOT EXISTS warning_notices (
    notice_id INTEGER PRIMARY KEY,
    warning_id INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    channel VARCHAR NOT NULL CHECK (channel IN ('email', 'webhook')),
    event VARCHAR NOT NULL CHECK (event IN ('raised', 'escalated')),
    level VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error VARCHAR,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    UNIQUE (warning_id, subscription_id, channel, event, level)
);

-- People and their access (issue 12, pilotdash/people.py): one row per person who may sign in.
-- scope_kind national (scope_codes empty), provinces (province codes), projects (project ids) or
-- cities (4-digit city codes: a prefecture office);
-- roles from viewer, submitter, reviewer, admin. A disabled person cannot sign in; rows are never
-- deleted, so the audit log's names keep their meaning.
CREATE TABLE IF NOT EXISTS people (
    email VARCHAR PRIMARY KEY,        -- lower case, as the sign-in provider gives it
    name VARCHAR NOT NULL,
    scope_kind VARCHAR NOT NULL CHECK (scope_kind IN ('national', 'provinces', 'projects', 'cities')),
    scope_codes VARCHAR[] NOT NULL,
    roles VARCHAR[] NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The audit log 审计 (pilotdash/audit.py): appended to, never changed or deleted by the app. ids are
-- max + 1 inside the write transaction (DuckLake has no sequences; writes are serialised).
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,          -- UTC ("at" is a keyword: always quoted)
    who VARCHAR NOT NULL,             -- the person's e-mail, or local:<user> in single-user mode
    action VARCHAR NOT NULL,
    what VARCHAR NOT NULL,
    scope_kind VARCHAR NOT NULL,      -- the scope the action was taken in
    scope_codes VARCHAR[] NOT NULL,
    detail JSON
);

-- Columns added after a table was first made (issue 19): stores made before get them here, as new
-- ones do; no DEFAULT (an empty cell reads as the old meaning), so the same lines run on DuckLake.
-- audit_log.refused: the action was asked for and refused by the access policy (pilotdash/policy.py).
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS refused BOOLEAN;
-- warning_subscriptions.owner: the e-mail of the person who made it (pilotdash/warnings/subscriptions.py);
-- empty on a subscription made before owners were kept: it sends nothing until re-made.
ALTER TABLE warning_subscriptions ADD COLUMN IF NOT EXISTS owner VARCHAR;
-- projects.status_date: the day the current status began (issue 21); empty: it always held.
ALTER TABLE projects ADD COLUMN IF NOT EXISTS status_date DATE;
-- Assessment 考核评价 (issue 23, pilotdash/assessment, sql/assessment.sql). A scheme is a tree of
-- items (three levels at most); marks on the leaves sum to 100; every leaf has a method. The
-- scheme's shape is checked by the upload (ingest/contract.py), which sees the whole tree.
CREATE TABLE IF NOT EXISTS eval_items (
    scheme VARCHAR NOT NULL,
    item_code VARCHAR NOT NULL,
    parent_code VARCHAR,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    marks DOUBLE CHECK (marks >= 0),
    method VARCHAR CHECK (method IN {enum:eval_method}),
    method_arg VARCHAR,
    veto VARCHAR CHECK (veto IN {enum:yes_no}),
    PRIMARY KEY (scheme, item_code)
);
CREATE TABLE IF NOT EXISTS eval_rounds (
    round_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN {enum:round_kind}),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    scheme VARCHAR NOT NULL
);
-- An evaluator's score of a manual leaf; automatic leaves are computed, never uploaded.
CREATE TABLE IF NOT EXISTS eval_scores (
    round_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    evaluator VARCHAR NOT NULL CHECK (evaluator IN {enum:evaluator}),
    item_code VARCHAR NOT NULL,
    score DOUBLE NOT NULL CHECK (score >= 0),
    evaluator_org VARCHAR,
    evidence VARCHAR,
    PRIMARY KEY (round_id, project_id, evaluator, item_code)
);
CREATE TABLE IF NOT EXISTS surveys (
    project_id VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    respondent VARCHAR NOT NULL CHECK (respondent IN {enum:respondent}),
    sample_size INTEGER NOT NULL CHECK (sample_size >= 0),
    satisfied INTEGER NOT NULL CHECK (satisfied >= 0),
    PRIMARY KEY (project_id, period_end, respondent)
);
-- A round's scores as computed from the data (pilotdash/assessment/scoring.py `recompute`, after
-- every applied upload, like the warnings): derived rows, remade per round, never uploaded.
-- eval_values: the pilot's measures on the round's period end that measure leaves score, and the
-- achievement of each indicator with a current actual ('indicator:<code>') for indicator leaves.
CREATE TABLE IF NOT EXISTS eval_values (
    round_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    value DOUBLE                      -- NULL: an empty denominator ("—"), the leaf not applicable
);
-- One row per round x pilot x evaluator x leaf: the value it was scored on, the rounded score,
-- and its state (scored, no_data, not_applicable, not_scored).
CREATE TABLE IF NOT EXISTS eval_leaf_results (
    round_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    evaluator VARCHAR NOT NULL,
    item_code VARCHAR NOT NULL,
    value DOUBLE,
    score DOUBLE,
    state VARCHAR NOT NULL
);
-- One row per evaluation (round x pilot x evaluator): complete or not, the total (rescaled when
-- leaves are not applicable), the grade, and the veto item that made it 差.
CREATE TABLE IF NOT EXISTS eval_results (
    round_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    evaluator VARCHAR NOT NULL,
    complete BOOLEAN NOT NULL,
    scored_marks DOUBLE,              -- the marks of the applicable leaves
    total DOUBLE,                     -- NULL unless complete
    grade VARCHAR,                    -- NULL unless complete
    veto_item VARCHAR,
    computed_at TIMESTAMP NOT NULL
);
-- Tasks, issues and risk reviews (shared/domain.md "Tasks, issues and risk reviews", issue 24).
-- A task tree of at most three levels (goal, sub-project, action) per pilot; the parent, the levels
-- and the absence of cycles are checked by the upload (ingest/contract.py), not by constraints.
CREATE TABLE IF NOT EXISTS tasks (
    task_id VARCHAR PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    parent_id VARCHAR,
    name VARCHAR NOT NULL,
    owner VARCHAR,
    start_date DATE,
    due_date DATE NOT NULL,
    done_date DATE,
    weight DOUBLE NOT NULL DEFAULT 1 CHECK (weight > 0),
    progress DOUBLE CHECK (progress BETWEEN 0 AND 100),
    deliverable VARCHAR,
    CHECK (start_date IS NULL OR due_date >= start_date)
);

-- The issue list 问题清单: resolved (整改完成) by its owner, signed off (销号) by a reviewer.
CREATE TABLE IF NOT EXISTS issues (
    issue_id VARCHAR PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    task_id VARCHAR,
    source VARCHAR NOT NULL CHECK (source IN {enum:issue_source}),
    description VARCHAR NOT NULL,
    raised_on DATE NOT NULL,
    owner VARCHAR,
    due_date DATE,
    resolved_on DATE,
    verified_on DATE,
    verified_by VARCHAR
);

-- What was done to an issue in place (pilotdash/tasks/issue_actions.py): who resolved it with which
-- note, who signed it off. Kept apart from `issues` so that the upload's row images (and so its
-- rollback) stay exactly the contract's columns. ids are max + 1 in the write.
CREATE TABLE IF NOT EXISTS issue_actions (
    action_id INTEGER NOT NULL,
    issue_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('resolve', 'sign_off')),
    on_date DATE NOT NULL,
    by_user VARCHAR NOT NULL,
    acted_at TIMESTAMP NOT NULL,
    note VARCHAR
);

-- Risk reviews 风险复盘: a risk on D is its latest review on or before D; the risk row itself is its
-- first review, on its identification date. History is kept, never overwritten.
CREATE TABLE IF NOT EXISTS risk_reviews (
    risk_id VARCHAR NOT NULL,
    reviewed_on DATE NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    status VARCHAR NOT NULL CHECK (status IN {enum:risk_status}),
    strategy VARCHAR CHECK (strategy IN {enum:risk_strategy}),
    note VARCHAR,
    PRIMARY KEY (risk_id, reviewed_on)
);
-- Cities and counties 地市、县: reference rows like provinces, loaded from
-- pilotdash/reference/divisions (the national division codes) on every schema set-up.
-- name_zh as in the codes (市辖区 for a municipality's row); label_zh as people read it (北京市).
CREATE TABLE IF NOT EXISTS cities (
    city_code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    label_zh VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS counties (
    county_code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    label_zh VARCHAR NOT NULL,
    city_code VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL
);

-- Promotion and cases 经验推广 (pilotdash/cases): a pilot's replicable experience and where it was
-- adopted. recommended_on is required once a case is recommended or adopted (the upload checks
-- it); an empty standard_level is "none". An adoption's empty city_code means the whole province.
CREATE TABLE IF NOT EXISTS cases (
    case_id VARCHAR PRIMARY KEY,
    project_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN {enum:case_kind}),
    maturity VARCHAR NOT NULL CHECK (maturity IN {enum:case_maturity}),
    recommended_on DATE,
    standard_level VARCHAR CHECK (standard_level IN {enum:standard_level})
);
CREATE TABLE IF NOT EXISTS adoptions (
    case_id VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL,
    city_code VARCHAR,
    adopted_on DATE NOT NULL,
    note VARCHAR
);

-- submissions.cities (issue 25): the cities of a submission's pilots, so a prefecture office's
-- reviewer covers the submissions of its cities (pilotdash/submissions.py `_cities`); empty on a
-- submission made before, or when a pilot has no city: then no cities scope covers it.
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS cities VARCHAR[];
