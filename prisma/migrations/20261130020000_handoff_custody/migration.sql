-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "pickupKey" TEXT,
ADD COLUMN     "signatureRequired" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "packages" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "holdReason" TEXT,
ADD COLUMN     "proxyReason" TEXT,
ADD COLUMN     "returnCarrier" TEXT,
ADD COLUMN     "returnReason" TEXT,
ADD COLUMN     "returnedById" UUID;

-- AlterTable
ALTER TABLE "package_events" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prevHash" TEXT,
ADD COLUMN     "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "seq" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "package_events_facilityId_packageId_seq_key" ON "package_events"("facilityId", "packageId", "seq");
