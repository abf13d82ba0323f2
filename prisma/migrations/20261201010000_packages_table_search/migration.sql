-- The admin's packages table (GET /api/packages): one search box over tracking number, recipient,
-- sender and notes (substring matches, so a tracking number's last digits and part of a name find
-- it), and keyset pages in each sort order. Written by hand: Prisma's schema does not describe
-- trigram indexes, and a schema diff never drops an index it does not know.
-- pg_trgm ships with Postgres (contrib) and with PGlite; creating it needs the owner, which is who
-- runs migrations.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One trigram index over the searched fields, joined by a space (a search term never holds one, so
-- no term matches across two fields). ILIKE '%term%' on this expression uses it, and ANALYZE keeps
-- statistics of the expression, so the planner knows a tracking number's last digits are rare.
-- repositories/package-list.ts writes the same expression.
CREATE INDEX "packages_search_trgm" ON "packages" USING GIN (
  ("trackingNumber" || ' ' || "recipientName" || ' ' || coalesce("sender", '') || ' ' || coalesce("notes", '')) gin_trgm_ops
) WHERE "deletedAt" IS NULL;

-- One index per sort order (each ends with the id, the keyset's tie-breaker), and the status tabs
-- in the default order (newest first).
CREATE INDEX "packages_list_receivedAt" ON "packages" ("facilityId", "receivedAt", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_status_receivedAt" ON "packages" ("facilityId", "status", "receivedAt", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_status" ON "packages" ("facilityId", "status", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_recipientName" ON "packages" ("facilityId", "recipientName", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_carrier" ON "packages" ("facilityId", "carrier", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_receivedById" ON "packages" ("facilityId", "receivedById", "receivedAt") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_locationId" ON "packages" ("facilityId", "locationId", "receivedAt") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_recipientId" ON "packages" ("facilityId", "recipientId", "receivedAt") WHERE "deletedAt" IS NULL;

-- Row-level security lets an index serve only leakproof operators ahead of its policy, and ILIKE is
-- not one: under the app role a search would read every package of the facility. This function
-- runs the search as the owner, so the trigram index answers it, and returns the live packages of
-- the facility of the transaction (app.facility_id, the same setting the policies read; never an
-- argument) whose searched text matches. The list query filters and sorts its rows further.
CREATE FUNCTION package_search_rows(pattern text) RETURNS SETOF packages
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  ROWS 500
  AS $$
    SELECT * FROM packages
     WHERE "facilityId" = app_facility_id() AND "deletedAt" IS NULL
       AND ("trackingNumber" || ' ' || "recipientName" || ' ' || coalesce("sender", '') || ' ' || coalesce("notes", '')) ILIKE pattern
  $$;
REVOKE ALL ON FUNCTION package_search_rows(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION package_search_rows(text) TO ptp_app;
