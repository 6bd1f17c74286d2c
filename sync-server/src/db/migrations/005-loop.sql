-- Lägesbild schema 5: the EST loop. The meeting's decision is versioned (every version kept), each hot-spot's
-- action has a state that phones set (last writer wins, every change kept), and visits are counted per
-- organisation and hot-spot: staff movement data, so no user and no position, the hour only, kept 6 months.

ALTER TABLE weekly_priorities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every version of every week's decision, as decided (hot_spots as the meeting entered them). Append-only.
CREATE TABLE priority_versions (
  iso_week TEXT NOT NULL,
  version INTEGER NOT NULL,
  focus_categories TEXT NOT NULL,
  hot_spots TEXT NOT NULL,
  notes TEXT NOT NULL,
  decided_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1)), -- recorded after the week had started (an admin's correction)
  PRIMARY KEY (iso_week, version)
) WITHOUT ROWID;
CREATE TRIGGER priority_versions_no_update BEFORE UPDATE ON priority_versions BEGIN SELECT RAISE(ABORT, 'priority versions are append-only'); END;
CREATE TRIGGER priority_versions_no_delete BEFORE DELETE ON priority_versions BEGIN SELECT RAISE(ABORT, 'priority versions are append-only'); END;
INSERT INTO priority_versions (iso_week, version, focus_categories, hot_spots, notes, decided_at, decided_by, late)
  SELECT iso_week, 1, focus_categories, hot_spots, notes, decided_at, decided_by, 0 FROM weekly_priorities;

-- The current state of each hot-spot's action (absent: planned). seq bumps the phones' reference data.
CREATE TABLE hot_spot_actions (
  iso_week TEXT NOT NULL,
  hot_spot INTEGER NOT NULL, -- 0-based index in the week's decision
  status TEXT NOT NULL CHECK (status IN ('planned','done','not_done')),
  comment TEXT,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES users(id),
  seq INTEGER NOT NULL,
  PRIMARY KEY (iso_week, hot_spot)
) WITHOUT ROWID;

-- Every change of an action, in server order. Append-only.
CREATE TABLE hot_spot_action_history (
  id INTEGER PRIMARY KEY,
  iso_week TEXT NOT NULL,
  hot_spot INTEGER NOT NULL,
  status TEXT NOT NULL,
  comment TEXT,
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  op_id TEXT NOT NULL
);
CREATE INDEX hot_spot_action_history_week ON hot_spot_action_history(iso_week, hot_spot, id);
CREATE TRIGGER hot_spot_action_history_no_update BEFORE UPDATE ON hot_spot_action_history BEGIN SELECT RAISE(ABORT, 'the action history is append-only'); END;
CREATE TRIGGER hot_spot_action_history_no_delete BEFORE DELETE ON hot_spot_action_history BEGIN SELECT RAISE(ABORT, 'the action history is append-only'); END;

-- "We are on site": per organisation and hot-spot, the local hour only; no user, no position.
CREATE TABLE visits (
  id TEXT PRIMARY KEY,              -- made on the device (idempotency)
  iso_week TEXT NOT NULL,
  hot_spot INTEGER NOT NULL,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  at_hour INTEGER NOT NULL          -- the visit's instant cut to the whole hour
) WITHOUT ROWID;
CREATE INDEX visits_week ON visits(iso_week, hot_spot, organisation_id);
CREATE INDEX visits_at ON visits(at_hour);
