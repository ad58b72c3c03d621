-- job_runs are the background job runner's (platform/jobs) record of every
-- run: one row per job and run key (a periodic job's slot, a daily job's
-- Beijing date, a queued job's own key). Inserting the row claims the run,
-- so several guatu instances on one database run each key once; a failed
-- run waits for next_at and is tried again up to the runner's limit, and a
-- run whose instance died is taken over once its lease has passed.
CREATE TABLE job_runs (
    name        TEXT NOT NULL,
    run_key     TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL CHECK (state IN ('queued','running','done','failed','gave_up')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    owner       TEXT NOT NULL DEFAULT '',
    lease_until @TIMESTAMP,
    next_at     @TIMESTAMP NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  @TIMESTAMP NOT NULL,
    finished_at @TIMESTAMP,
    PRIMARY KEY (name, run_key)
);
-- The queue: what is waiting, failed and due again, or running (to take
-- over a dead instance's run).
CREATE INDEX job_runs_due ON job_runs (next_at) WHERE state IN ('queued','failed','running');
-- The clean-up of finished runs.
CREATE INDEX job_runs_finished ON job_runs (finished_at) WHERE finished_at IS NOT NULL;
