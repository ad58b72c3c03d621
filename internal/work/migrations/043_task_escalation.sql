-- The escalation ladder of reminders (催办逐级升级): a reminder left
-- unanswered climbs from the lead unit (its liaison, rung 0) to the unit's
-- head (1), the leader in charge (2) and the principal leader (3), after
-- the township's days per rung (escalate_days, "2,2,3"; 0 stops there).
-- escalated_from links each rung to the reminder it climbed from, unique,
-- so two instances never climb one reminder twice.
ALTER TABLE task_reminders ADD COLUMN rung INTEGER NOT NULL DEFAULT 0 CHECK (rung BETWEEN 0 AND 3);
ALTER TABLE task_reminders ADD COLUMN escalated_from @BIGINT REFERENCES task_reminders(id);
CREATE UNIQUE INDEX task_reminders_escalated_from ON task_reminders (escalated_from) WHERE escalated_from IS NOT NULL;
ALTER TABLE task_card_settings ADD COLUMN escalate_days TEXT NOT NULL DEFAULT '2,2,3';
