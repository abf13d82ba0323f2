-- Tenancy's second wall (SPEC: "every query is scoped to the session's active facility").
-- The app runs its queries as the role ptp_app, which does not own the tables and so is subject to
-- row-level security. Each transaction names its facility with
--   SELECT set_config('app.facility_id', '<uuid>', true)
-- and every facility-owned table shows and accepts only that facility's rows. With no facility
-- set, the policies match nothing (fail closed).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ptp_app') THEN
    CREATE ROLE ptp_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

-- The connecting login must be able to SET ROLE ptp_app (a superuser always can).
DO $$
BEGIN
  EXECUTE format('GRANT ptp_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO ptp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ptp_app;
REVOKE ALL ON "_prisma_migrations" FROM ptp_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ptp_app;

CREATE FUNCTION app_facility_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.facility_id', true), '')::uuid $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'departments', 'locations', 'recipients', 'packages', 'package_events', 'attachments',
    'stored_blobs', 'sync_clients', 'sync_rejections', 'integrations', 'notifications'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY facility_isolation ON %I TO ptp_app USING ("facilityId" = app_facility_id()) WITH CHECK ("facilityId" = app_facility_id())',
      t
    );
  END LOOP;
END
$$;

-- Facility settings the product bounds (SPEC: photo retention 7 to 365 days).
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_photo_retention_range" CHECK ("photoRetentionDays" BETWEEN 7 AND 365);
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_reminder_interval_positive" CHECK ("reminderIntervalHours" > 0);

-- The database epoch: a restored copy must be given a new one (npm run db:new-epoch) so that
-- devices resync in full instead of trusting cookies from a timeline that no longer exists.
INSERT INTO "database_meta" ("id", "epoch") VALUES (1, gen_random_uuid()) ON CONFLICT DO NOTHING;
