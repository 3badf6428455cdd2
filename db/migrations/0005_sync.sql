-- Exchange between places (bundles, docs/bundle.md): enrolled devices, peers and exchange history, the per-field
-- version knowledge the three-way merge needs, and conflicts kept until a person resolves them.
-- None of these tables travels in an ordinary bundle (a backup carries `devices`); all are local bookkeeping.

-- Devices whose bundles this registry accepts: the Ed25519 public key the office enrolled for a device (a registry
-- file's replica id, the suffix of its version stamps). A revoked device's bundles are refused.
CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7
    device TEXT NOT NULL,                  -- the sender's replica id (registry_meta.device)
    public_key TEXT NOT NULL,              -- Ed25519 public key, 64 hex digits
    name TEXT NOT NULL,                    -- who or what it is ("张三的笔记本", "襄阳市局")
    county TEXT,                           -- the county (or city) code of the device's registry
    role TEXT,                             -- inspector / office / city (informational)
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT,
    revoked INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT,
    revoked_by TEXT,
    note TEXT
);
CREATE UNIQUE INDEX devices_live ON devices(device) WHERE revoked = 0;

-- One row per device this registry exchanged bundles with: what was last sent (the local change watermark a delta
-- export continues from) and what was last received (the sender's clock watermark of its newest bundle).
CREATE TABLE peers (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7
    device TEXT NOT NULL UNIQUE,
    name TEXT,
    county TEXT,
    sent_watermark TEXT,                   -- local audit stamp up to which changes were sent to this peer
    received_watermark TEXT,               -- newest sender watermark imported from this peer
    last_exchange TEXT
);

-- Exchange history: every bundle written or imported (and every refused one), newest last.
CREATE TABLE exchanges (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7
    bundle_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    kind TEXT NOT NULL,
    peer_device TEXT,
    peer_name TEXT,
    at TEXT NOT NULL,
    actor TEXT,
    file_name TEXT,
    since TEXT,                            -- delta base (NULL: full)
    watermark TEXT,
    status TEXT NOT NULL CHECK (status IN ('exported', 'applied', 'refused')),
    trusted_once INTEGER NOT NULL DEFAULT 0, -- imported from an unknown/revoked device on explicit trust
    counts TEXT NOT NULL DEFAULT '{}',     -- JSON
    details TEXT                           -- JSON: refusals, trust reason
);
CREATE INDEX exchanges_peer ON exchanges(peer_device, at);
CREATE INDEX exchanges_bundle ON exchanges(bundle_id);

-- What a merge knows of a row beyond its stamps (nibi_desk/sync/merge.py): per field, the version vector
-- {device: newest stamp} of a field that took a version from another registry, and the concurrent versions kept
-- while two or more are current (an open conflict, or equal values written independently). Rows only ever edited
-- here have no entry.
CREATE TABLE sync_versions (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    vv TEXT NOT NULL DEFAULT '{}',         -- JSON {field: {device: stamp}}
    siblings TEXT NOT NULL DEFAULT '{}',   -- JSON {field: [{value, stamp, vv}]}
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

-- A field changed on two sides to different values (or edited on one side and deleted on the other). While open,
-- `candidates` holds every concurrent version ([{value, stamp, vv}]); the newest is shown in the record until a
-- person resolves it. Resolved and superseded rows stay as history.
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'superseded')),
    base TEXT,                             -- JSON value at the newest common version, when known
    mine TEXT,                             -- JSON value of this registry's side
    mine_stamp TEXT,
    theirs TEXT,                           -- JSON value of the other side
    theirs_stamp TEXT,
    candidates TEXT NOT NULL,              -- JSON [{value, stamp, vv}]
    opened_at TEXT NOT NULL,
    opened_hlc TEXT NOT NULL,
    bundle_id TEXT,
    resolved_at TEXT,
    resolved_hlc TEXT,
    resolved_by TEXT,
    resolution TEXT                        -- JSON {choice: mine/theirs/edited/elsewhere, value}
);
CREATE UNIQUE INDEX conflicts_open ON conflicts(tbl, row_id, field) WHERE status = 'open';
CREATE INDEX conflicts_status ON conflicts(status, tbl);

-- Delta exports read the local change log by the local transaction stamp.
CREATE INDEX audit_hlc ON audit(hlc, tbl);
