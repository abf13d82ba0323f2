-- Departments and locations become synced, device-created rows (department.upsert,
-- location.upsert): their client-made UUIDs must not collide across facilities either.
CREATE OR REPLACE FUNCTION sync_ids_in_use(tbl text, ids uuid[]) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
AS $$
BEGIN
  IF tbl = 'packages' THEN
    RETURN QUERY SELECT p.id FROM packages p WHERE p.id = ANY(ids);
  ELSIF tbl = 'recipients' THEN
    RETURN QUERY SELECT r.id FROM recipients r WHERE r.id = ANY(ids);
  ELSIF tbl = 'departments' THEN
    RETURN QUERY SELECT d.id FROM departments d WHERE d.id = ANY(ids);
  ELSIF tbl = 'locations' THEN
    RETURN QUERY SELECT l.id FROM locations l WHERE l.id = ANY(ids);
  ELSIF tbl = 'sync_clients' THEN
    RETURN QUERY SELECT c.id FROM sync_clients c WHERE c.id = ANY(ids);
  ELSE
    RAISE EXCEPTION 'sync_ids_in_use: unknown table %', tbl;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION sync_ids_in_use(text, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_ids_in_use(text, uuid[]) TO ptp_app;
