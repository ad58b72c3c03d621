-- files are the platform's stored files (attachments, evidence): the record
-- of each upload, its content kept once per SHA-256 by the file store
-- (platform/files) under the data folder. Rooms link to a file by id; a
-- file is never deleted (history is never deleted), so there is no delete.
CREATE TABLE files (
    id           @ID,
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    size         @BIGINT NOT NULL CHECK (size > 0),
    content_type TEXT NOT NULL,
    name         TEXT NOT NULL,
    uploaded_by  @BIGINT REFERENCES users(id),
    at           @TIMESTAMP NOT NULL
);
CREATE INDEX files_sha256 ON files (sha256);
