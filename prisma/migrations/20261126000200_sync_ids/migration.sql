-- Client-generated UUIDs must not collide across facilities, yet row-level security hides other
-- facilities' rows. This function answers only which of the given ids are taken anywhere (no
-- other data), so a push can reject a colliding create instead of failing on the primary key.
CREATE FUNCTION sync_ids_in_use(tbl text, ids uuid[]) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
AS $$
BEGIN
  IF tbl = 'packages' THEN
    RETURN QUERY SELECT p.id FROM packages p WHERE p.id = ANY(ids);
  ELSIF tbl = 'recipients' THEN
    RETURN QUERY SELECT r.id FROM recipients r WHERE r.id = ANY(ids);
  ELSIF tbl = 'sync_clients' THEN
    RETURN QUERY SELECT c.id FROM sync_clients c WHERE c.id = ANY(ids);
  ELSE
    RAISE EXCEPTION 'sync_ids_in_use: unknown table %', tbl;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION sync_ids_in_use(text, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_ids_in_use(text, uuid[]) TO ptp_app;

-- The epoch changes only by the operator's restore step (npm run db:new-epoch), never by the app.
REVOKE INSERT, UPDATE, DELETE ON "database_meta" FROM ptp_app;
