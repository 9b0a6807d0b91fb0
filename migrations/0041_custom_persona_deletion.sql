-- A custom persona its owner deleted: it frees a slot and can no longer be started, but the
-- sessions held with it keep naming it in the owner's history.
ALTER TABLE personas ADD COLUMN deleted_at timestamptz;
ALTER TABLE personas ADD CONSTRAINT personas_only_custom_deleted CHECK (deleted_at IS NULL OR owner_id IS NOT NULL);
