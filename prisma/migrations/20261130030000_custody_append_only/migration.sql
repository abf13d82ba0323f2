-- The custody log is append-only (SPEC "Packages": every change appends to an activity log).
-- The app never updates or deletes a package event: an admin correction is a new event. Two walls:
-- the app role has no UPDATE or DELETE privilege on package_events, and a trigger refuses UPDATE,
-- DELETE and TRUNCATE for everyone, the owner included.
--
-- One controlled escape, for erasing a whole facility's data (account deletion): a transaction of
-- the owner connection that runs
--   SET LOCAL app.erase_facility = '<facility id>';
-- may delete that facility's events, directly or through the ON DELETE CASCADE from facilities.
-- Nothing else can, and no other facility's events are reachable through it.

REVOKE UPDATE, DELETE, TRUNCATE ON "package_events" FROM ptp_app;

CREATE FUNCTION package_events_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD."facilityId"::text = NULLIF(current_setting('app.erase_facility', true), '') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'package_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a new event instead (an admin correction is a reopen or update event).';
END
$$;

CREATE TRIGGER package_events_append_only
  BEFORE UPDATE OR DELETE ON "package_events"
  FOR EACH ROW EXECUTE FUNCTION package_events_append_only();

CREATE FUNCTION package_events_no_truncate() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'package_events is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER package_events_no_truncate
  BEFORE TRUNCATE ON "package_events"
  FOR EACH STATEMENT EXECUTE FUNCTION package_events_no_truncate();
