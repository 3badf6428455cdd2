-- Field inspection: users and roles, checklist templates, plans and tasks, inspections with photos and signature,
-- defects and their rectification loop. Same identity and versioning rules as 0001: UUIDv7 `id`, local `seq`,
-- created_hlc / field_hlc / hlc, tombstones. Submitted inspections and photos are immutable (triggers below).

CREATE TABLE users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('inspector', 'office', 'supervisor')),
    organisation TEXT,
    password_hash TEXT,                    -- memory-hard KDF (argon2id) string; local only, never exported
    active INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX users_login ON users(login);

-- One row per template VERSION. Editing a template makes a new row with the same `family` and version + 1;
-- inspections point at the exact row they used, so their questions never change under them.
CREATE TABLE templates (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    family TEXT NOT NULL,                  -- id shared by all versions of one template
    version INTEGER NOT NULL,
    asset_type TEXT NOT NULL REFERENCES asset_types(code),
    name TEXT NOT NULL,
    body TEXT NOT NULL,                    -- JSON: items (see db/templates/schema.json)
    active INTEGER NOT NULL DEFAULT 1,     -- the version offered for new inspections of its family
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL,
    UNIQUE (family, version)
);
CREATE INDEX templates_type ON templates(asset_type, active);

CREATE TABLE plans (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    cycle TEXT NOT NULL CHECK (cycle IN ('once', 'weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly')),
    start_date TEXT NOT NULL,              -- ISO date
    end_date TEXT,
    inspector TEXT REFERENCES users(id),
    selection TEXT NOT NULL DEFAULT '{}',  -- JSON: how assets were chosen (filters, township, type, ids)
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'finished')),
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);

CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    plan TEXT NOT NULL REFERENCES plans(id),
    asset TEXT NOT NULL REFERENCES assets(id),
    inspector TEXT REFERENCES users(id),
    period TEXT NOT NULL,                  -- the cycle period the task covers, e.g. 2026-11, 2026-Q4, 2026-H2
    due_date TEXT NOT NULL,                -- ISO date
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    inspection TEXT REFERENCES inspections(id),
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL,
    UNIQUE (plan, asset, period)
);
CREATE INDEX tasks_asset ON tasks(asset, status, due_date);
CREATE INDEX tasks_inspector ON tasks(inspector, status, due_date);

CREATE TABLE inspections (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    asset TEXT NOT NULL REFERENCES assets(id),
    task TEXT REFERENCES tasks(id),
    template TEXT NOT NULL REFERENCES templates(id),
    inspector TEXT REFERENCES users(id),
    inspector_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    started_at TEXT NOT NULL,              -- ISO 8601 with offset
    submitted_at TEXT,
    answers TEXT NOT NULL DEFAULT '{}',    -- JSON {item key: {value, note}}
    score REAL,
    result TEXT CHECK (result IN ('normal', 'defects', 'unreachable')),
    unreachable_reason TEXT,
    stood_lon REAL,                        -- where the inspector stood (WGS-84)
    stood_lat REAL,
    stood_source TEXT CHECK (stood_source IN ('exif', 'typed', 'map')),
    distance_m REAL,                       -- from where the inspector stood to the asset
    flags TEXT NOT NULL DEFAULT '[]',      -- JSON list of findings: too far, photo time/position mismatch ...
    signature TEXT,                        -- SHA-256 of the signature image in the photo store
    corrects TEXT REFERENCES inspections(id),  -- a correction is a new record linked to the one it corrects
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX inspections_asset ON inspections(asset, submitted_at);
CREATE INDEX inspections_status ON inspections(status, inspector);
CREATE TRIGGER inspections_immutable BEFORE UPDATE ON inspections WHEN old.status = 'submitted' BEGIN
    SELECT RAISE(ABORT, 'submitted inspections are immutable; record a correction instead');
END;

-- Photo originals live byte-for-byte in a content-addressed store (SHA-256); this row is their metadata.
CREATE TABLE photos (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL DEFAULT 'image/jpeg',
    original_name TEXT,
    taken_at TEXT,
    lon REAL,
    lat REAL,
    alt REAL,
    orientation INTEGER,
    make TEXT,
    model TEXT,
    missing TEXT NOT NULL DEFAULT '{}',    -- JSON {field: reason} for EXIF fields that are absent
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE TRIGGER photos_immutable BEFORE UPDATE OF sha256, size ON photos BEGIN
    SELECT RAISE(ABORT, 'a stored photo never changes');
END;

-- A photo used as evidence: by an inspection (optionally for one checklist item) or by a defect (before/after).
CREATE TABLE evidence (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    photo TEXT NOT NULL REFERENCES photos(id),
    inspection TEXT REFERENCES inspections(id),
    defect TEXT REFERENCES defects(id),
    item TEXT,                             -- checklist item key
    phase TEXT NOT NULL DEFAULT 'evidence' CHECK (phase IN ('evidence', 'before', 'after')),
    stamped TEXT,                          -- SHA-256 of the evidence-stamped derivative
    flags TEXT NOT NULL DEFAULT '[]',
    caption TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL,
    CHECK (inspection IS NOT NULL OR defect IS NOT NULL)
);
CREATE INDEX evidence_inspection ON evidence(inspection);
CREATE INDEX evidence_defect ON evidence(defect);

CREATE TABLE defects (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    asset TEXT NOT NULL REFERENCES assets(id),
    inspection TEXT REFERENCES inspections(id),
    item TEXT,
    category TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('general', 'major', 'critical')),  -- 一般 / 较大 / 重大
    description TEXT NOT NULL,
    deadline TEXT,                         -- ISO date
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'notice_issued', 'rectified', 'closed', 'reopened')),
    notice_no TEXT,
    notice_date TEXT,
    responsible_unit TEXT,
    rectified_at TEXT,
    rectification_note TEXT,
    verified_by TEXT REFERENCES users(id),
    closed_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX defects_asset ON defects(asset, status);
CREATE INDEX defects_status ON defects(status, deadline);
