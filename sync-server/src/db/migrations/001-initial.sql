-- Lägesbild schema 1. Server instants are integer milliseconds since the Unix epoch (UTC).
-- Every write that a device must learn about takes the next value of change_seq as its seq:
-- the pull cursor is that sequence, never a device clock.

CREATE TABLE change_seq (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO change_seq (id, value) VALUES (1, 0);

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('municipal','police','security','property','transport','other')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
  totp_secret TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('reporter','reviewer','analyst','admin')),
  PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_timeout_ms INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE categories (
  code TEXT PRIMARY KEY,
  label_sv TEXT NOT NULL,
  label_en TEXT NOT NULL,
  hint_sv TEXT NOT NULL DEFAULT '',
  hint_en TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('place','area')),
  geometry TEXT NOT NULL, -- GeoJSON Point or Polygon, WGS 84
  lat REAL NOT NULL,      -- centre, for distance sorting
  lon REAL NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reports (
  id TEXT PRIMARY KEY,                 -- UUIDv7 made on the device
  category TEXT NOT NULL REFERENCES categories(code),
  occurred_at INTEGER NOT NULL,        -- the event's instant
  occurred_at_text TEXT NOT NULL,      -- as the device wrote it, with its offset
  local_date TEXT NOT NULL,            -- the next four in the municipality's zone, for filters
  local_weekday INTEGER NOT NULL CHECK (local_weekday BETWEEN 1 AND 7),
  local_hour INTEGER NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
  iso_week TEXT NOT NULL,
  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  accuracy_m REAL,
  location_source TEXT NOT NULL CHECK (location_source IN ('gps','map','place')),
  place_id INTEGER REFERENCES places(id),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  people_involved INTEGER,
  police_notified INTEGER CHECK (police_notified IN (0,1)),
  privacy_flags TEXT NOT NULL DEFAULT '[]',
  reporter_id INTEGER NOT NULL REFERENCES users(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','approved','rejected','needs_info','withdrawn')),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,            -- device time, ISO 8601
  received_at INTEGER NOT NULL,
  reviewed_by INTEGER REFERENCES users(id),
  reviewed_at INTEGER,
  review_note TEXT,
  -- An event reported by several sources: the duplicates point at one primary report.
  -- The summary counts a row when status = 'approved' AND duplicate_of IS NULL.
  duplicate_of TEXT REFERENCES reports(id),
  seq INTEGER NOT NULL
);
CREATE INDEX reports_reporter_seq ON reports(reporter_id, seq);
CREATE INDEX reports_status_received ON reports(status, received_at);
CREATE INDEX reports_duplicate_of ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Every change to a report, by whom, when, what. Append-only.
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports(id),
  version INTEGER NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,                  -- create, amend, review, withdraw, merge, pending_amend, …
  changes TEXT NOT NULL DEFAULT '{}'   -- JSON {field: {from, to}}
);
CREATE INDEX revisions_report ON revisions(report_id, id);
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;

-- A reporter's amendment to a report already reviewed waits here for a reviewer.
CREATE TABLE pending_amendments (
  id INTEGER PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  base_version INTEGER NOT NULL,
  changes TEXT NOT NULL,               -- JSON {field: {from, to}}
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','dismissed')),
  resolved_by INTEGER REFERENCES users(id),
  resolved_at INTEGER
);
CREATE INDEX pending_amendments_report ON pending_amendments(report_id) WHERE state = 'pending';

-- Each pushed op under its device-made opId: a repeat returns the stored result.
CREATE TABLE sync_ops (
  op_id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  report_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  version INTEGER,
  reason TEXT,
  at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE weekly_priorities (
  iso_week TEXT PRIMARY KEY,
  focus_categories TEXT NOT NULL DEFAULT '[]',
  hot_spots TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  decided_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  seq INTEGER NOT NULL
) WITHOUT ROWID;

-- Logins, role changes, reviews, exports, views of report details. The database refuses to change history.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  ip TEXT
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
