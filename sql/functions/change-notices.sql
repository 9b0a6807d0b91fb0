-- Changes that caches in the platform's processes must hear of, announced with NOTIFY at
-- commit (several in one transaction arrive as one). Every instance on the database listens:
--   mindbot_catalogue      the anonymous catalogue answers (personas, categories, pricing, plans); payload: the table
--   mindbot_user_standing  a user's role, disabled_at or tokens_valid_after changed, or the user is gone; payload: the user id
--   mindbot_balance        a time card of the user changed (as holder, or as buyer of a card nobody holds yet); payload:
--                          the user id, or '' after a TRUNCATE (every user)
CREATE OR REPLACE FUNCTION notify_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mindbot_catalogue', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER personas_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON personas
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed();
CREATE OR REPLACE TRIGGER persona_categories_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON persona_categories
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed();
CREATE OR REPLACE TRIGGER pricing_tiers_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pricing_tiers
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed();
CREATE OR REPLACE TRIGGER plans_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalogue_changed();

CREATE OR REPLACE FUNCTION notify_user_standing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at
     OR OLD.tokens_valid_after IS DISTINCT FROM NEW.tokens_valid_after THEN
    PERFORM pg_notify('mindbot_user_standing', OLD.id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER users_standing_changed AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION notify_user_standing_changed();

-- One notice per user whose GET /time/balance body may have changed: the card's holder and
-- buyer, before and after (an activation moves a bought card from its buyer's list to its holder's).
CREATE OR REPLACE FUNCTION notify_balance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('mindbot_balance', '');
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF OLD.user_id IS NOT NULL THEN PERFORM pg_notify('mindbot_balance', OLD.user_id); END IF;
    IF OLD.purchaser_user_id IS NOT NULL THEN PERFORM pg_notify('mindbot_balance', OLD.purchaser_user_id); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.user_id IS NOT NULL THEN PERFORM pg_notify('mindbot_balance', NEW.user_id); END IF;
    IF NEW.purchaser_user_id IS NOT NULL THEN PERFORM pg_notify('mindbot_balance', NEW.purchaser_user_id); END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER time_cards_balance_changed AFTER INSERT OR UPDATE OR DELETE ON time_cards
  FOR EACH ROW EXECUTE FUNCTION notify_balance_changed();
CREATE OR REPLACE TRIGGER time_cards_balance_truncated AFTER TRUNCATE ON time_cards
  FOR EACH STATEMENT EXECUTE FUNCTION notify_balance_changed();
