-- Changes that caches in the platform's processes must hear of, announced with NOTIFY at
-- commit (several in one transaction arrive as one). Every instance on the database listens:
--   mindbot_catalogue      the anonymous catalogue answers (personas, categories, pricing, plans); payload: the table
--   mindbot_user_standing  a user's role, disabled_at or tokens_valid_after changed, or the user is gone; payload: the user id
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
