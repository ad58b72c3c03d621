-- workflow_steps is the history of every supervised item's moves (a task's
-- 交办 → 签收 → … → 办结), written by platform/workflow in the transaction of
-- the move itself, so an item's state and its history never disagree.
CREATE TABLE workflow_steps (
    id         @ID,
    item_kind  TEXT NOT NULL,
    item_id    @BIGINT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    transition TEXT NOT NULL,
    actor_id   @BIGINT REFERENCES users(id),
    actor_login TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    at         @TIMESTAMP NOT NULL
);
CREATE INDEX workflow_steps_item ON workflow_steps (item_kind, item_id, id);
