-- Second factor (TOTP, passkeys, recovery codes), the organisation switch for reporters, one-time password expiry.
-- users.totp_secret (from 001) holds the base32 secret from enrolment; it counts only once confirmed.
ALTER TABLE users ADD COLUMN totp_confirmed_at INTEGER;
-- The highest TOTP time-step ever accepted for the user: a code at or below it is a replay.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
-- Set with a one-time password: after it, the one-time password no longer signs in.
ALTER TABLE users ADD COLUMN password_expires_at INTEGER;
-- Reporters of this organisation need a second factor too (desk roles always do).
ALTER TABLE organisations ADD COLUMN require_second_factor INTEGER NOT NULL DEFAULT 0 CHECK (require_second_factor IN (0,1));

CREATE TABLE recovery_codes (
  user_id INTEGER NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,            -- the credential id, base64url
  user_id INTEGER NOT NULL REFERENCES users(id),
  public_key BLOB NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_user ON passkeys(user_id);
