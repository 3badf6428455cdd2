-- NIBI Desk registry schema, first version.
--
-- Identity: every row that can travel in a bundle is keyed by `id`, a UUIDv7 string. `seq` is a local row number
-- (an alias of SQLite's rowid, stable across VACUUM) used only as the key of the FTS and R*Tree indexes; it never
-- leaves this file. Reference data (divisions, asset types) is keyed by its official or declared code, which is the
-- same in every registry.
--
-- Versioning (for the per-field three-way merge of bundles): `created_hlc` stamps every field written at insert;
-- `field_hlc` is a JSON object {field: stamp} for fields written since; `hlc` is the newest stamp on the row
-- (delta export watermark). Stamps come from a hybrid logical clock and end with the writing device's id.
-- Rows are never deleted: `deleted` is a versioned field (a tombstone).

CREATE TABLE registry_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE divisions (
    code TEXT PRIMARY KEY,                 -- 12-digit statistical code (county rows: 6 digits + 000000)
    level TEXT NOT NULL CHECK (level IN ('county', 'township', 'village')),
    name TEXT NOT NULL,
    parent TEXT REFERENCES divisions(code),
    county TEXT NOT NULL,                  -- 6-digit GB/T 2260 code of the county it belongs to
    township_type TEXT,                    -- 街道 / 镇 / 乡 / 开发区 / 农场 ... (townships only)
    CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*')
);
CREATE INDEX divisions_parent ON divisions(parent);

CREATE TABLE asset_types (
    code TEXT PRIMARY KEY,                 -- base_station, smart_pole, camera, ... (a new type is a new row)
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    schema TEXT NOT NULL,                  -- JSON: the type's attributes and its business code rule
    sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE assets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL REFERENCES asset_types(code),
    code TEXT,                             -- business code: site code, pole code, GB/T 28181 device id
    name TEXT NOT NULL,
    division TEXT REFERENCES divisions(code),
    address TEXT,
    lon REAL,                              -- CGCS2000 / WGS-84 degrees
    lat REAL,
    alt REAL,
    grid_code TEXT,                        -- BeiDou grid location code (GB/T 39409), level 10
    status TEXT NOT NULL DEFAULT 'in_service'
        CHECK (status IN ('planned', 'under_construction', 'in_service', 'faulty', 'decommissioned')),
    owner TEXT,
    operator TEXT,
    notes TEXT,
    attrs TEXT NOT NULL DEFAULT '{}',      -- JSON: type-specific attributes, validated against asset_types.schema
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX assets_code ON assets(code);
CREATE INDEX assets_division ON assets(division);
CREATE INDEX assets_hlc ON assets(hlc);

CREATE TABLE mounts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    carrier TEXT NOT NULL REFERENCES assets(id),   -- the pole or tower
    device TEXT NOT NULL REFERENCES assets(id),    -- the camera or micro-cell it carries
    position TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX mounts_carrier ON mounts(carrier);
CREATE INDEX mounts_device ON mounts(device);

-- WITHOUT ROWID keyed by the UUIDv7: ids arrive in increasing order, so the table itself is the id index.
CREATE TABLE audit (
    id TEXT PRIMARY KEY NOT NULL,
    hlc TEXT NOT NULL,                     -- the stamp of the transaction that made the change
    at TEXT NOT NULL,                      -- wall-clock time, ISO 8601 UTC
    actor TEXT,                            -- who (user name)
    device TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
    changes TEXT                           -- JSON {field: [before, after]}
) WITHOUT ROWID;
CREATE INDEX audit_row ON audit(row_id, hlc);

-- Chinese substring search: trigram FTS (3+ characters); 1-2 character queries use instr() on the base table.
CREATE VIRTUAL TABLE assets_fts USING fts5(
    name, code, address, content='assets', content_rowid='seq', tokenize='trigram'
);
CREATE TRIGGER assets_fts_ai AFTER INSERT ON assets BEGIN
    INSERT INTO assets_fts(rowid, name, code, address) VALUES (new.seq, new.name, new.code, new.address);
END;
CREATE TRIGGER assets_fts_ad AFTER DELETE ON assets BEGIN
    INSERT INTO assets_fts(assets_fts, rowid, name, code, address)
        VALUES ('delete', old.seq, old.name, old.code, old.address);
END;
CREATE TRIGGER assets_fts_au AFTER UPDATE OF name, code, address ON assets BEGIN
    INSERT INTO assets_fts(assets_fts, rowid, name, code, address)
        VALUES ('delete', old.seq, old.name, old.code, old.address);
    INSERT INTO assets_fts(rowid, name, code, address) VALUES (new.seq, new.name, new.code, new.address);
END;

-- Bounding-box queries. R*Tree stores 32-bit floats rounded outwards, so callers re-check lon/lat exactly.
CREATE VIRTUAL TABLE assets_rtree USING rtree(seq, min_lon, max_lon, min_lat, max_lat);
CREATE TRIGGER assets_rtree_ai AFTER INSERT ON assets WHEN new.lon IS NOT NULL AND new.lat IS NOT NULL BEGIN
    INSERT INTO assets_rtree VALUES (new.seq, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER assets_rtree_au AFTER UPDATE OF lon, lat ON assets BEGIN
    DELETE FROM assets_rtree WHERE seq = old.seq;
    INSERT INTO assets_rtree SELECT new.seq, new.lon, new.lon, new.lat, new.lat
        WHERE new.lon IS NOT NULL AND new.lat IS NOT NULL;
END;
CREATE TRIGGER assets_rtree_ad AFTER DELETE ON assets BEGIN
    DELETE FROM assets_rtree WHERE seq = old.seq;
END;
