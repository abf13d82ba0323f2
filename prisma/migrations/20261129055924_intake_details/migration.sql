-- AlterTable
ALTER TABLE "packages" ADD COLUMN     "loggedAt" TIMESTAMP(3),
ADD COLUMN     "needsSignature" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "perishable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "shelf" TEXT;
