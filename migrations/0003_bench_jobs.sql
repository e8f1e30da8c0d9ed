-- The benchmark jobs of `zoo serve` (POST /v1/bench), so that their status and results outlive the daemon: on
-- a restart, queued jobs are queued again and a job that was running is reported 'interrupted'.
CREATE TABLE bench_jobs (
    id             TEXT    PRIMARY KEY,             -- the job id the API gives out
    model          TEXT    NOT NULL,                -- as asked for: a stub or a path
    model_path     TEXT    NOT NULL,                -- the .onnx file it resolved to
    core_set       TEXT    NOT NULL,                -- the CPUs it runs on: 0-3, 0,2
    batch_size     INTEGER CHECK (batch_size IS NULL OR batch_size >= 1),
    num_cores      INTEGER NOT NULL CHECK (num_cores >= 1),
    scenario       TEXT    NOT NULL,                -- sync, async, elastic
    num_streams    INTEGER,
    seconds        REAL    NOT NULL,
    warmup_seconds REAL    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'interrupted')),
    submitted_at   REAL    NOT NULL,                -- unix seconds
    started_at     REAL,
    finished_at    REAL,
    result         TEXT,                            -- `zoo bench --json`'s object, once done
    error          TEXT                             -- why it failed or was interrupted
);
CREATE INDEX bench_jobs_submitted ON bench_jobs (submitted_at);
