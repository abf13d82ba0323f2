-- CreateTable
CREATE TABLE "billing_notices" (
    "id" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "facility_deletions" (
    "id" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "step" TEXT NOT NULL,
    "counts" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "facility_deletions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "billing_notices_facilityId_kind_dueAt_key" ON "billing_notices"("facilityId", "kind", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "facility_deletions_facilityId_key" ON "facility_deletions"("facilityId");

-- AddForeignKey
ALTER TABLE "billing_notices" ADD CONSTRAINT "billing_notices_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "facilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Facility-owned: the app role (the notices job runs as it, in the facility's scope) sees and
-- writes only the active facility's notices.
ALTER TABLE "billing_notices" ENABLE ROW LEVEL SECURITY;
CREATE POLICY facility_isolation ON "billing_notices" TO ptp_app
  USING ("facilityId" = app_facility_id()) WITH CHECK ("facilityId" = app_facility_id());

-- The deletion record is written by the deletion job on the owner connection only: the app role
-- can neither read nor change what was deleted and when.
REVOKE ALL ON "facility_deletions" FROM ptp_app;
