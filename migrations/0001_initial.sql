-- The first catalog schema. A migration is never edited once it has shipped: change the schema with a new file.
PRAGMA application_id = 2054123361;  -- 0x7A6F6F61, "zooa": marks the file as a zoo catalog

-- Every model the catalog knows, identified by its registry namespace and v2 repoName.
CREATE TABLE models (
    id               INTEGER PRIMARY KEY,
    namespace        TEXT    NOT NULL,
    repo_name        TEXT    NOT NULL,
    repo_name_source TEXT    NOT NULL CHECK (repo_name_source IN ('stub', 'observed', 'derived', 'declared')),
    stub             TEXT    NOT NULL,            -- the canonical stub the model is listed under
    domain           TEXT,
    sub_domain       TEXT,
    architecture     TEXT    NOT NULL,
    sub_architecture TEXT,
    framework        TEXT,
    repo             TEXT,
    dataset          TEXT,
    training_scheme  TEXT,
    sparse_tag       TEXT    NOT NULL,
    sparse_name      TEXT,
    sparse_category  TEXT,
    sparse_target    TEXT,
    sparsity         INTEGER,                     -- percent, when the tag states it
    quantized        INTEGER NOT NULL DEFAULT 0,
    synthetic        INTEGER NOT NULL DEFAULT 0,  -- made up for demos and tests, not a real model
    display_name     TEXT,
    description      TEXT,
    source           TEXT    NOT NULL,            -- the catalog file that listed it
    search_text      TEXT    NOT NULL,            -- lower-cased stubs and names for free-text search
    UNIQUE (namespace, repo_name)
);
CREATE INDEX models_architecture ON models (architecture);
CREATE INDEX models_domain ON models (domain);
CREATE INDEX models_task ON models (sub_domain);
CREATE INDEX models_sparsity ON models (sparsity);
CREATE INDEX models_dataset ON models (dataset);

-- Every stub body (long v1 or short v2) that names a model: the v1 stub <-> v2 repoName aliases.
CREATE TABLE aliases (
    stub     TEXT    PRIMARY KEY,                  -- canonical, without query
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    form     TEXT    NOT NULL CHECK (form IN ('long', 'short'))
);
CREATE INDEX aliases_model ON aliases (model_id);

-- The artifacts of a model, as its registry lists them.
CREATE TABLE files (
    id       INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,                     -- display name, relative: deployment/model.onnx
    kind     TEXT    NOT NULL,                     -- onnx, deployment, training, inputs, outputs, card, recipe, ...
    url      TEXT,
    size     INTEGER CHECK (size IS NULL OR size >= 0),
    sha256   TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    UNIQUE (model_id, name)
);

-- The sparsification recipes of a model: recipe.md, recipe_transfer_learn.md, ...
CREATE TABLE recipes (
    id       INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,                     -- the file name
    url      TEXT,
    size     INTEGER CHECK (size IS NULL OR size >= 0),
    sha256   TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    UNIQUE (model_id, name)
);

-- Benchmark results, keyed by the sha256 of the model file that ran.
CREATE TABLE benchmark_results (
    id             INTEGER PRIMARY KEY,
    model_digest   TEXT    NOT NULL CHECK (length(model_digest) = 64),
    model_id       INTEGER REFERENCES models (id) ON DELETE SET NULL,
    engine         TEXT    NOT NULL,
    engine_version TEXT,
    scenario       TEXT    NOT NULL,
    batch_size     INTEGER NOT NULL,
    num_cores      INTEGER NOT NULL,
    num_streams    INTEGER NOT NULL DEFAULT 1,
    items_per_sec  REAL    NOT NULL,
    latency_mean_ms   REAL,
    latency_median_ms REAL,
    latency_p90_ms    REAL,
    latency_p95_ms    REAL,
    latency_p99_ms    REAL,
    isa            TEXT,
    machine        TEXT,
    recorded_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX benchmark_results_digest ON benchmark_results (model_digest);

-- The catalog files imported so far, with the digest of what was imported, so a change re-imports.
CREATE TABLE catalog_sources (
    name        TEXT PRIMARY KEY,                  -- 'shipped' or the absolute path of a user catalog
    sha256      TEXT NOT NULL,
    models      INTEGER NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Substring search over models.search_text: trigrams find any run of three or more characters by index.
CREATE VIRTUAL TABLE models_search USING fts5 (search_text, content = 'models', content_rowid = 'id', tokenize = 'trigram');
