-- The cache: which models are on disk, from which blobs, when they were last used, which are pinned, and the
-- leases of pulls in progress. Rows are keyed by namespace/repo_name, not models.id, so that a catalog
-- re-import that drops a model never forgets what is on disk.

-- Every verified file in blobs/sha256/, by digest.
CREATE TABLE blobs (
    sha256   TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
    size     INTEGER NOT NULL CHECK (size >= 0),
    added_at REAL    NOT NULL,                      -- unix seconds
    refs     INTEGER NOT NULL DEFAULT 0             -- cached_files rows naming it, kept by the triggers below
);
CREATE INDEX blobs_unreferenced ON blobs (refs) WHERE refs = 0;

-- A model directory under models/<namespace>/<repo_name>/.
CREATE TABLE cached_models (
    namespace       TEXT    NOT NULL,
    repo_name       TEXT    NOT NULL,
    stub            TEXT    NOT NULL,               -- the stub it was pulled as
    complete        INTEGER NOT NULL DEFAULT 0,     -- 1 when every selected file is in place
    pinned          INTEGER NOT NULL DEFAULT 0,     -- gc never removes a pinned model
    extracted_bytes INTEGER NOT NULL DEFAULT 0,     -- bytes unpacked from archives (owned by this model alone)
    own_bytes       INTEGER NOT NULL DEFAULT 0,     -- blobs no other model uses; kept by the store so ls is one scan
    shared_bytes    INTEGER NOT NULL DEFAULT 0,     -- blobs other cached models use too
    file_count      INTEGER NOT NULL DEFAULT 0,
    pulled_at       REAL    NOT NULL,
    last_used       REAL    NOT NULL,
    PRIMARY KEY (namespace, repo_name)
);
CREATE INDEX cached_models_last_used ON cached_models (last_used);
CREATE INDEX cached_models_stub ON cached_models (stub);

-- The files of a cached model and the blob each one is.
CREATE TABLE cached_files (
    namespace TEXT    NOT NULL,
    repo_name TEXT    NOT NULL,
    name      TEXT    NOT NULL,                     -- relative path in the model directory
    sha256    TEXT    NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (namespace, repo_name, name),
    FOREIGN KEY (namespace, repo_name) REFERENCES cached_models (namespace, repo_name) ON DELETE CASCADE
);
CREATE INDEX cached_files_blob ON cached_files (sha256);
CREATE TRIGGER cached_files_reference AFTER INSERT ON cached_files
BEGIN UPDATE blobs SET refs = refs + 1 WHERE sha256 = NEW.sha256; END;
CREATE TRIGGER cached_files_dereference AFTER DELETE ON cached_files
BEGIN UPDATE blobs SET refs = refs - 1 WHERE sha256 = OLD.sha256; END;

-- Digests learned from a first verified download where the registry listed none; enforced from then on.
CREATE TABLE learned_digests (
    namespace TEXT    NOT NULL,
    repo_name TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT    NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (namespace, repo_name, name)
);

-- One row per pull in progress: who holds it, so a second process waits instead of downloading again.
CREATE TABLE leases (
    key          TEXT    PRIMARY KEY,               -- namespace/repo_name
    owner        TEXT    NOT NULL,                  -- random per holder
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    acquired_at  REAL    NOT NULL,
    heartbeat_at REAL    NOT NULL
);
