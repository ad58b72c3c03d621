-- duty is a person's standing part in their unit's supervised work: its
-- head (负责人) or its liaison (联络员), whom a reminder (催办) reaches first
-- and the escalation ladder climbs from.
ALTER TABLE people ADD COLUMN duty TEXT NOT NULL DEFAULT '' CHECK (duty IN ('', 'head', 'liaison'));
