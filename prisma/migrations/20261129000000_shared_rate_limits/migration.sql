-- Rate-limit and quota counters in Postgres (rate-limiter-flexible's table layout), shared by every
-- server process. Not facility-owned: keys name what they count (an address, an account, a
-- facility), so no row-level security; ptp_app reads and writes it through the default privileges.
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
