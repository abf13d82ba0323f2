-- The admin's packages table (GET /api/packages): one search box over tracking number, recipient,
-- sender and notes (substring matches, so a tracking number's last digits and part of a name find
-- it), and keyset pages in each sort order. Written by hand: Prisma's schema does not describe
-- trigram indexes, and a schema diff never drops an index it does not know.
-- pg_trgm ships with Postgres (contrib) and with PGlite; creating it needs the owner, which is who
-- runs migrations.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Trigram indexes answer ILIKE '%…%' on live packages.
CREATE INDEX "packages_trackingNumber_trgm" ON "packages" USING GIN ("trackingNumber" gin_trgm_ops) WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_recipientName_trgm" ON "packages" USING GIN ("recipientName" gin_trgm_ops) WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_sender_trgm" ON "packages" USING GIN ("sender" gin_trgm_ops) WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_notes_trgm" ON "packages" USING GIN ("notes" gin_trgm_ops) WHERE "deletedAt" IS NULL;

-- One index per sort order (each ends with the id, the keyset's tie-breaker), and the status tabs
-- in the default order (newest first).
CREATE INDEX "packages_list_receivedAt" ON "packages" ("facilityId", "receivedAt", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_status_receivedAt" ON "packages" ("facilityId", "status", "receivedAt", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_status" ON "packages" ("facilityId", "status", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_recipientName" ON "packages" ("facilityId", "recipientName", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_carrier" ON "packages" ("facilityId", "carrier", "receivedAt", "id") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_receivedById" ON "packages" ("facilityId", "receivedById", "receivedAt") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_locationId" ON "packages" ("facilityId", "locationId", "receivedAt") WHERE "deletedAt" IS NULL;
CREATE INDEX "packages_list_recipientId" ON "packages" ("facilityId", "recipientId", "receivedAt") WHERE "deletedAt" IS NULL;
