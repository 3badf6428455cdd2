-- Targets of the period summary (巡检汇总) and the population they are measured against: data the county office
-- edits (nibi report targets / population, nibi_desk.reports.targets). Same identity and versioning as 0001:
-- UUIDv7 `id`, local `seq`, created_hlc / field_hlc / hlc, tombstones. No UNIQUE key on (division, period, kpi):
-- two offices may set the same target before their bundles meet; readers take the newest live row.

CREATE TABLE division_population (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    division TEXT NOT NULL REFERENCES divisions(code),   -- county (6 digits + 000000) or township, 12 digits
    year INTEGER NOT NULL,
    population INTEGER NOT NULL CHECK (population > 0),
    source TEXT,                                         -- e.g. 第七次全国人口普查, 统计年鉴 2025
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX division_population_key ON division_population(division, year);

CREATE TABLE targets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    division TEXT NOT NULL REFERENCES divisions(code),   -- county or township, 12 digits
    period TEXT NOT NULL,                                -- 2026, 2026-H2, 2026-Q3 or 2026-05
    kpi TEXT NOT NULL CHECK (kpi IN ('coverage', 'defect_rate', 'on_time_rate', 'online_rate', 'intact_rate',
                                     'coding_rate', 'sites_per_10k')),
    target REAL NOT NULL,                                -- rates as fractions (0.8 = 80 %), sites per 10,000 people
    amber_margin REAL NOT NULL DEFAULT 0,                -- how far on the wrong side of the target is still amber
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_hlc TEXT NOT NULL,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    hlc TEXT NOT NULL
);
CREATE INDEX targets_key ON targets(division, period, kpi);
