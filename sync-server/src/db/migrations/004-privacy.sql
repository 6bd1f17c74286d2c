-- Lägesbild schema 4: privacy. Settings (retention), and one narrow way through the append-only history.

-- Installation settings as key/value text, read by several areas; every change is audited by the writer.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
) WITHOUT ROWID;
INSERT INTO settings (key, value, updated_at) VALUES ('retention.months', '12', 0);

-- Redaction and retention must remove personal data from the revisions too. They do it inside one transaction
-- that holds the single row of privacy_rewrite (services/privacy-rewrite.ts inserts it and deletes it again
-- before COMMIT). Only then may a revision change, and only its `changes`: who, when, what kind and which
-- version stay as they were. Deleting a revision stays impossible; the audit log stays strictly append-only.
CREATE TABLE privacy_rewrite (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  reason TEXT NOT NULL CHECK (reason IN ('redaction', 'retention'))
);
DROP TRIGGER revisions_no_update;
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
WHEN NOT EXISTS (SELECT 1 FROM privacy_rewrite)
  OR NEW.id IS NOT OLD.id OR NEW.report_id IS NOT OLD.report_id OR NEW.version IS NOT OLD.version
  OR NEW.author_id IS NOT OLD.author_id OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;

-- When retention removed a report's free text, people involved and exact position (NULL: not yet).
ALTER TABLE reports ADD COLUMN retained_at INTEGER;
CREATE INDEX reports_retention ON reports(occurred_at) WHERE retained_at IS NULL;
