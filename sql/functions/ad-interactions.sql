-- Ad history is append-only except for spending a discount, once.
CREATE OR REPLACE FUNCTION ad_interactions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR OLD.discount_consumed_at IS NOT NULL
     OR NEW.discount_consumed_at IS NULL
     OR ROW(NEW.id, NEW.user_id, NEW.ad_id, NEW.persona_slug, NEW.view_duration, NEW.reward_type, NEW.reward_earned,
            NEW.reason, NEW.time_reward_seconds, NEW.discount_percent, NEW.reward_expires_at, NEW.created_at)
        IS DISTINCT FROM
        ROW(OLD.id, OLD.user_id, OLD.ad_id, OLD.persona_slug, OLD.view_duration, OLD.reward_type, OLD.reward_earned,
            OLD.reason, OLD.time_reward_seconds, OLD.discount_percent, OLD.reward_expires_at, OLD.created_at) THEN
    RAISE EXCEPTION 'ad_interactions rows only change to spend a discount once' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER ad_interactions_guard BEFORE UPDATE OR DELETE ON ad_interactions
  FOR EACH ROW EXECUTE FUNCTION ad_interactions_guard();
