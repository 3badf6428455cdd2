-- The map's aggregate pyramid: live located assets counted per grid cell, per zoom level and per type, so that an
-- overview of a million assets is a few hundred rows read by primary key instead of a GROUP BY over the registry.
--
-- Cells: at level z (0..17) a cell is 360 / 2^(z+2) degrees in longitude and latitude — about 64 screen pixels at
-- Web Mercator zoom z. Indexes are computed once at the finest level, fx = CAST((lon + 180) * 2^19 / 360 AS INTEGER)
-- and fy likewise from lat + 90, and coarser levels shift them right (cx = fx >> (17 - z)), so cells nest exactly and
-- the triggers, the bulk fill (nibi_desk/storage/writer.py BULK_INDEX_FILL) and nibi_desk/maps/aggregate.py agree.
-- Counted: deleted = 0 and both coordinates present. sum_lon / sum_lat give each cell's centroid.
-- The table is derived data: it never travels in bundles and can be rebuilt (nibi_desk.maps.aggregate.rebuild).

CREATE TABLE asset_grid_levels (
    z INTEGER PRIMARY KEY,
    shift INTEGER NOT NULL                 -- 17 - z: how far the finest cell index shifts to this level
);
INSERT INTO asset_grid_levels (z, shift) VALUES
    (0, 17), (1, 16), (2, 15), (3, 14), (4, 13), (5, 12), (6, 11), (7, 10), (8, 9), (9, 8), (10, 7), (11, 6),
    (12, 5), (13, 4), (14, 3), (15, 2), (16, 1), (17, 0);

CREATE TABLE asset_grid (
    z INTEGER NOT NULL,
    cx INTEGER NOT NULL,
    cy INTEGER NOT NULL,
    type TEXT NOT NULL,
    n INTEGER NOT NULL,
    n_faulty INTEGER NOT NULL,
    sum_lon REAL NOT NULL,
    sum_lat REAL NOT NULL,
    PRIMARY KEY (z, cx, cy, type)
) WITHOUT ROWID;

CREATE TRIGGER asset_grid_ai AFTER INSERT ON assets
WHEN new.deleted = 0 AND new.lon IS NOT NULL AND new.lat IS NOT NULL BEGIN
    INSERT INTO asset_grid (z, cx, cy, type, n, n_faulty, sum_lon, sum_lat)
        SELECT z, CAST((new.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
               CAST((new.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
               new.type, 1, new.status = 'faulty', new.lon, new.lat
        FROM asset_grid_levels WHERE true
        ON CONFLICT (z, cx, cy, type) DO UPDATE SET n = n + 1, n_faulty = n_faulty + excluded.n_faulty,
            sum_lon = sum_lon + excluded.sum_lon, sum_lat = sum_lat + excluded.sum_lat;
END;

-- An edit of position, status, type or the tombstone: take the old state out, put the new one in.
CREATE TRIGGER asset_grid_au AFTER UPDATE OF lon, lat, status, type, deleted ON assets
WHEN (old.deleted = 0 AND old.lon IS NOT NULL AND old.lat IS NOT NULL)
  OR (new.deleted = 0 AND new.lon IS NOT NULL AND new.lat IS NOT NULL) BEGIN
    UPDATE asset_grid SET n = n - 1, n_faulty = n_faulty - (old.status = 'faulty'),
                          sum_lon = sum_lon - old.lon, sum_lat = sum_lat - old.lat
        WHERE old.deleted = 0 AND old.lon IS NOT NULL AND old.lat IS NOT NULL AND type = old.type
          AND (z, cx, cy) IN (SELECT z, CAST((old.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
                                     CAST((old.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift
                              FROM asset_grid_levels);
    DELETE FROM asset_grid
        WHERE n <= 0 AND old.deleted = 0 AND old.lon IS NOT NULL AND old.lat IS NOT NULL AND type = old.type
          AND (z, cx, cy) IN (SELECT z, CAST((old.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
                                     CAST((old.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift
                              FROM asset_grid_levels);
    INSERT INTO asset_grid (z, cx, cy, type, n, n_faulty, sum_lon, sum_lat)
        SELECT z, CAST((new.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
               CAST((new.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
               new.type, 1, new.status = 'faulty', new.lon, new.lat
        FROM asset_grid_levels WHERE new.deleted = 0 AND new.lon IS NOT NULL AND new.lat IS NOT NULL
        ON CONFLICT (z, cx, cy, type) DO UPDATE SET n = n + 1, n_faulty = n_faulty + excluded.n_faulty,
            sum_lon = sum_lon + excluded.sum_lon, sum_lat = sum_lat + excluded.sum_lat;
END;

-- Rows are tombstoned, not deleted; a real DELETE (maintenance) still keeps the pyramid right.
CREATE TRIGGER asset_grid_ad AFTER DELETE ON assets
WHEN old.deleted = 0 AND old.lon IS NOT NULL AND old.lat IS NOT NULL BEGIN
    UPDATE asset_grid SET n = n - 1, n_faulty = n_faulty - (old.status = 'faulty'),
                          sum_lon = sum_lon - old.lon, sum_lat = sum_lat - old.lat
        WHERE type = old.type
          AND (z, cx, cy) IN (SELECT z, CAST((old.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
                                     CAST((old.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift
                              FROM asset_grid_levels);
    DELETE FROM asset_grid
        WHERE n <= 0 AND type = old.type
          AND (z, cx, cy) IN (SELECT z, CAST((old.lon + 180.0) * 524288.0 / 360.0 AS INTEGER) >> shift,
                                     CAST((old.lat + 90.0) * 524288.0 / 360.0 AS INTEGER) >> shift
                              FROM asset_grid_levels);
END;

-- The assets already in the registry: the finest level from the table, each coarser level from the one below.
-- (The same statement, with "seq > ?", fills the cells of a bulk insert: BULK_INDEX_FILL in storage/writer.py.)
WITH f17 AS MATERIALIZED (
    SELECT CAST((lon + 180.0) * 524288.0 / 360.0 AS INTEGER) AS cx, CAST((lat + 90.0) * 524288.0 / 360.0 AS INTEGER) AS cy,
           type, count(*) AS n, sum(status = 'faulty') AS n_faulty, sum(lon) AS sum_lon, sum(lat) AS sum_lat
    FROM assets WHERE seq > 0 AND deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL GROUP BY 1, 2, 3),
f16 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f17 GROUP BY 1, 2, 3),
f15 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f16 GROUP BY 1, 2, 3),
f14 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f15 GROUP BY 1, 2, 3),
f13 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f14 GROUP BY 1, 2, 3),
f12 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f13 GROUP BY 1, 2, 3),
f11 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f12 GROUP BY 1, 2, 3),
f10 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f11 GROUP BY 1, 2, 3),
f9 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f10 GROUP BY 1, 2, 3),
f8 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f9 GROUP BY 1, 2, 3),
f7 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f8 GROUP BY 1, 2, 3),
f6 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f7 GROUP BY 1, 2, 3),
f5 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f6 GROUP BY 1, 2, 3),
f4 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f5 GROUP BY 1, 2, 3),
f3 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f4 GROUP BY 1, 2, 3),
f2 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f3 GROUP BY 1, 2, 3),
f1 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f2 GROUP BY 1, 2, 3),
f0 AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat FROM f1 GROUP BY 1, 2, 3)
INSERT INTO asset_grid (z, cx, cy, type, n, n_faulty, sum_lon, sum_lat)
    SELECT * FROM (
        SELECT 17, * FROM f17
        UNION ALL SELECT 16, * FROM f16
        UNION ALL SELECT 15, * FROM f15
        UNION ALL SELECT 14, * FROM f14
        UNION ALL SELECT 13, * FROM f13
        UNION ALL SELECT 12, * FROM f12
        UNION ALL SELECT 11, * FROM f11
        UNION ALL SELECT 10, * FROM f10
        UNION ALL SELECT 9, * FROM f9
        UNION ALL SELECT 8, * FROM f8
        UNION ALL SELECT 7, * FROM f7
        UNION ALL SELECT 6, * FROM f6
        UNION ALL SELECT 5, * FROM f5
        UNION ALL SELECT 4, * FROM f4
        UNION ALL SELECT 3, * FROM f3
        UNION ALL SELECT 2, * FROM f2
        UNION ALL SELECT 1, * FROM f1
        UNION ALL SELECT 0, * FROM f0
    ) WHERE true
    ON CONFLICT (z, cx, cy, type) DO UPDATE SET n = n + excluded.n, n_faulty = n_faulty + excluded.n_faulty,
        sum_lon = sum_lon + excluded.sum_lon, sum_lat = sum_lat + excluded.sum_lat;
