-- Lägesbild schema 3: the summary. Every aggregate counts incidents (status = 'approved' AND duplicate_of IS NULL).
-- services/stats/filter.ts picks, per query, the smallest source that can answer it exactly: one of two rollups
-- kept by triggers, or the reports themselves through a covering index. The indexes on reports are partial on the
-- counting rule, so reports waiting for review never enter them and a push of new reports does not touch them.

-- The map grid's 50 m base cell, as one integer: column << 20 | row (services/stats/grid.ts: 50 m of latitude;
-- 50 m of longitude at 58° N).
ALTER TABLE reports ADD COLUMN grid_cell INTEGER GENERATED ALWAYS AS (
  CAST((lon + 180.0) / 0.0008485446976775395 AS INTEGER) * 1048576 + CAST((lat + 90.0) / 0.000449660181862269 AS INTEGER)) VIRTUAL;

-- Positions and the grid: one covering index per grouping, led by the column the aggregate groups by, so SQLite
-- reads the groups in index order instead of sorting the rows, and never the table.
CREATE INDEX stats_date ON reports(local_date, category, organisation_id, local_weekday, local_hour, place_id, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;
CREATE INDEX stats_category ON reports(category, local_date, organisation_id, local_weekday, local_hour, place_id, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;
CREATE INDEX stats_organisation ON reports(organisation_id, local_date, category, local_weekday, local_hour, place_id, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;
CREATE INDEX stats_place ON reports(place_id, local_date, category, organisation_id, local_weekday, local_hour, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;
CREATE INDEX stats_weekday_hour ON reports(local_weekday, local_hour, local_date, category, organisation_id, place_id, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;
-- place_id follows the cell so the hot-spots read cells and places in one pass.
CREATE INDEX stats_grid ON reports(grid_cell, place_id, local_date, category, organisation_id, local_weekday, local_hour, lon, lat)
  WHERE status = 'approved' AND duplicate_of IS NULL;

-- Rollups: incidents per local hour (without place), per local day and place (without hour), per place and time
-- of the week (without date), per grid cell (without time), and per grid cell and day or time of the week. Most
-- summary questions fit one of these, which are several times (the cells: up to a hundred times) smaller than the
-- reports; an area is counted from the cells wholly inside it plus the reports on its edge.
CREATE TABLE stats_hourly (
  local_date TEXT NOT NULL,
  local_hour INTEGER NOT NULL,
  category TEXT NOT NULL,
  organisation_id INTEGER NOT NULL,
  local_weekday INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (local_date, local_hour, category, organisation_id)
) WITHOUT ROWID;
CREATE INDEX stats_hourly_category ON stats_hourly(category, local_date, local_hour, organisation_id, local_weekday, n);
CREATE INDEX stats_hourly_organisation ON stats_hourly(organisation_id, local_date, local_hour, category, local_weekday, n);
CREATE INDEX stats_hourly_weekday_hour ON stats_hourly(local_weekday, local_hour, local_date, category, organisation_id, n);

CREATE TABLE stats_daily_place (
  local_date TEXT NOT NULL,
  category TEXT NOT NULL,
  place_id INTEGER NOT NULL, -- 0: no named place
  organisation_id INTEGER NOT NULL,
  local_weekday INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (local_date, category, place_id, organisation_id)
) WITHOUT ROWID;
CREATE INDEX stats_daily_place_place ON stats_daily_place(place_id, local_date, category, organisation_id, local_weekday, n);
CREATE INDEX stats_daily_place_category ON stats_daily_place(category, local_date, place_id, organisation_id, local_weekday, n);
CREATE INDEX stats_daily_place_organisation ON stats_daily_place(organisation_id, local_date, category, place_id, local_weekday, n);

CREATE TABLE stats_cells (
  grid_cell INTEGER NOT NULL,
  category TEXT NOT NULL,
  organisation_id INTEGER NOT NULL,
  place_id INTEGER NOT NULL, -- 0: no named place
  n INTEGER NOT NULL,
  PRIMARY KEY (grid_cell, category, organisation_id, place_id)
) WITHOUT ROWID;

-- An area's time: its cells per local day, and per weekday and hour.
CREATE TABLE stats_cells_daily (
  grid_cell INTEGER NOT NULL,
  local_date TEXT NOT NULL,
  local_weekday INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (grid_cell, local_date)
) WITHOUT ROWID;
CREATE TABLE stats_cells_weekly (
  grid_cell INTEGER NOT NULL,
  organisation_id INTEGER NOT NULL,
  local_weekday INTEGER NOT NULL,
  local_hour INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (grid_cell, organisation_id, local_weekday, local_hour)
) WITHOUT ROWID;
-- Places by the time of the week (no date): the places' hot-spots of a night-time filter.
CREATE TABLE stats_place_weekly (
  place_id INTEGER NOT NULL, -- 0: no named place
  category TEXT NOT NULL,
  organisation_id INTEGER NOT NULL,
  local_weekday INTEGER NOT NULL,
  local_hour INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (place_id, category, organisation_id, local_weekday, local_hour)
) WITHOUT ROWID;

INSERT INTO stats_hourly (local_date, local_hour, category, organisation_id, local_weekday, n)
  SELECT local_date, local_hour, category, organisation_id, min(local_weekday), count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY local_date, local_hour, category, organisation_id;
INSERT INTO stats_daily_place (local_date, category, place_id, organisation_id, local_weekday, n)
  SELECT local_date, category, coalesce(place_id, 0), organisation_id, min(local_weekday), count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY local_date, category, coalesce(place_id, 0), organisation_id;
INSERT INTO stats_cells (grid_cell, category, organisation_id, place_id, n)
  SELECT grid_cell, category, organisation_id, coalesce(place_id, 0), count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY grid_cell, category, organisation_id, coalesce(place_id, 0);
INSERT INTO stats_cells_daily (grid_cell, local_date, local_weekday, n)
  SELECT grid_cell, local_date, min(local_weekday), count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY grid_cell, local_date;
INSERT INTO stats_cells_weekly (grid_cell, organisation_id, local_weekday, local_hour, n)
  SELECT grid_cell, organisation_id, local_weekday, local_hour, count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY grid_cell, organisation_id, local_weekday, local_hour;
INSERT INTO stats_place_weekly (place_id, category, organisation_id, local_weekday, local_hour, n)
  SELECT coalesce(place_id, 0), category, organisation_id, local_weekday, local_hour, count(*) FROM reports
  WHERE status = 'approved' AND duplicate_of IS NULL GROUP BY coalesce(place_id, 0), category, organisation_id, local_weekday, local_hour;

-- A report enters the rollups when it starts to count and leaves them when it stops (rejected after all,
-- merged into another, withdrawn, deleted) or moves (a reviewer corrects its category, time or place).
CREATE TRIGGER stats_rollup_insert AFTER INSERT ON reports
WHEN NEW.status = 'approved' AND NEW.duplicate_of IS NULL BEGIN
  INSERT INTO stats_hourly (local_date, local_hour, category, organisation_id, local_weekday, n)
    VALUES (NEW.local_date, NEW.local_hour, NEW.category, NEW.organisation_id, NEW.local_weekday, 1)
    ON CONFLICT (local_date, local_hour, category, organisation_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_daily_place (local_date, category, place_id, organisation_id, local_weekday, n)
    VALUES (NEW.local_date, NEW.category, coalesce(NEW.place_id, 0), NEW.organisation_id, NEW.local_weekday, 1)
    ON CONFLICT (local_date, category, place_id, organisation_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells (grid_cell, category, organisation_id, place_id, n)
    VALUES (NEW.grid_cell, NEW.category, NEW.organisation_id, coalesce(NEW.place_id, 0), 1)
    ON CONFLICT (grid_cell, category, organisation_id, place_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells_daily (grid_cell, local_date, local_weekday, n) VALUES (NEW.grid_cell, NEW.local_date, NEW.local_weekday, 1)
    ON CONFLICT (grid_cell, local_date) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells_weekly (grid_cell, organisation_id, local_weekday, local_hour, n)
    VALUES (NEW.grid_cell, NEW.organisation_id, NEW.local_weekday, NEW.local_hour, 1)
    ON CONFLICT (grid_cell, organisation_id, local_weekday, local_hour) DO UPDATE SET n = n + 1;
  INSERT INTO stats_place_weekly (place_id, category, organisation_id, local_weekday, local_hour, n)
    VALUES (coalesce(NEW.place_id, 0), NEW.category, NEW.organisation_id, NEW.local_weekday, NEW.local_hour, 1)
    ON CONFLICT (place_id, category, organisation_id, local_weekday, local_hour) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_rollup_update_leave AFTER UPDATE OF status, duplicate_of, category, organisation_id, place_id, local_date, local_hour, lon, lat ON reports
WHEN OLD.status = 'approved' AND OLD.duplicate_of IS NULL BEGIN
  UPDATE stats_hourly SET n = n - 1
    WHERE local_date = OLD.local_date AND local_hour = OLD.local_hour AND category = OLD.category AND organisation_id = OLD.organisation_id;
  UPDATE stats_daily_place SET n = n - 1
    WHERE local_date = OLD.local_date AND category = OLD.category AND place_id = coalesce(OLD.place_id, 0) AND organisation_id = OLD.organisation_id;
  UPDATE stats_cells SET n = n - 1
    WHERE grid_cell = OLD.grid_cell AND category = OLD.category AND organisation_id = OLD.organisation_id AND place_id = coalesce(OLD.place_id, 0);
  UPDATE stats_cells_daily SET n = n - 1 WHERE grid_cell = OLD.grid_cell AND local_date = OLD.local_date;
  UPDATE stats_cells_weekly SET n = n - 1
    WHERE grid_cell = OLD.grid_cell AND organisation_id = OLD.organisation_id AND local_weekday = OLD.local_weekday AND local_hour = OLD.local_hour;
  UPDATE stats_place_weekly SET n = n - 1
    WHERE place_id = coalesce(OLD.place_id, 0) AND category = OLD.category AND organisation_id = OLD.organisation_id
      AND local_weekday = OLD.local_weekday AND local_hour = OLD.local_hour;
END;

CREATE TRIGGER stats_rollup_update_enter AFTER UPDATE OF status, duplicate_of, category, organisation_id, place_id, local_date, local_hour, lon, lat ON reports
WHEN NEW.status = 'approved' AND NEW.duplicate_of IS NULL BEGIN
  INSERT INTO stats_hourly (local_date, local_hour, category, organisation_id, local_weekday, n)
    VALUES (NEW.local_date, NEW.local_hour, NEW.category, NEW.organisation_id, NEW.local_weekday, 1)
    ON CONFLICT (local_date, local_hour, category, organisation_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_daily_place (local_date, category, place_id, organisation_id, local_weekday, n)
    VALUES (NEW.local_date, NEW.category, coalesce(NEW.place_id, 0), NEW.organisation_id, NEW.local_weekday, 1)
    ON CONFLICT (local_date, category, place_id, organisation_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells (grid_cell, category, organisation_id, place_id, n)
    VALUES (NEW.grid_cell, NEW.category, NEW.organisation_id, coalesce(NEW.place_id, 0), 1)
    ON CONFLICT (grid_cell, category, organisation_id, place_id) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells_daily (grid_cell, local_date, local_weekday, n) VALUES (NEW.grid_cell, NEW.local_date, NEW.local_weekday, 1)
    ON CONFLICT (grid_cell, local_date) DO UPDATE SET n = n + 1;
  INSERT INTO stats_cells_weekly (grid_cell, organisation_id, local_weekday, local_hour, n)
    VALUES (NEW.grid_cell, NEW.organisation_id, NEW.local_weekday, NEW.local_hour, 1)
    ON CONFLICT (grid_cell, organisation_id, local_weekday, local_hour) DO UPDATE SET n = n + 1;
  INSERT INTO stats_place_weekly (place_id, category, organisation_id, local_weekday, local_hour, n)
    VALUES (coalesce(NEW.place_id, 0), NEW.category, NEW.organisation_id, NEW.local_weekday, NEW.local_hour, 1)
    ON CONFLICT (place_id, category, organisation_id, local_weekday, local_hour) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_rollup_delete AFTER DELETE ON reports
WHEN OLD.status = 'approved' AND OLD.duplicate_of IS NULL BEGIN
  UPDATE stats_hourly SET n = n - 1
    WHERE local_date = OLD.local_date AND local_hour = OLD.local_hour AND category = OLD.category AND organisation_id = OLD.organisation_id;
  UPDATE stats_daily_place SET n = n - 1
    WHERE local_date = OLD.local_date AND category = OLD.category AND place_id = coalesce(OLD.place_id, 0) AND organisation_id = OLD.organisation_id;
  UPDATE stats_cells SET n = n - 1
    WHERE grid_cell = OLD.grid_cell AND category = OLD.category AND organisation_id = OLD.organisation_id AND place_id = coalesce(OLD.place_id, 0);
  UPDATE stats_cells_daily SET n = n - 1 WHERE grid_cell = OLD.grid_cell AND local_date = OLD.local_date;
  UPDATE stats_cells_weekly SET n = n - 1
    WHERE grid_cell = OLD.grid_cell AND organisation_id = OLD.organisation_id AND local_weekday = OLD.local_weekday AND local_hour = OLD.local_hour;
  UPDATE stats_place_weekly SET n = n - 1
    WHERE place_id = coalesce(OLD.place_id, 0) AND category = OLD.category AND organisation_id = OLD.organisation_id
      AND local_weekday = OLD.local_weekday AND local_hour = OLD.local_hour;
END;
