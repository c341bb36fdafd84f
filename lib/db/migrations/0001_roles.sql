-- Least-privilege roles (cluster-wide, so created only when absent).
--   haul_owner    owns the schema objects: every DDL change is made as (a member of) it.
--                 NOLOGIN: grant it to the people or the deploy user that run migrations.
--   haul_importer what haul-import connects as day to day: INSERT, SELECT on the columns
--                 the upsert reads, UPDATE on the columns it updates, TEMP (PUBLIC's default).
--                 No DELETE, TRUNCATE, CREATE or DROP. It has no password here: give it one
--                 (or a certificate) outside the repository, e.g. ALTER ROLE ... PASSWORD.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'haul_owner') THEN
    BEGIN
      CREATE ROLE haul_owner NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;  -- made meanwhile by a migration of another database of this cluster
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'haul_importer') THEN
    BEGIN
      CREATE ROLE haul_importer LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO haul_importer', current_database());
END
$$;

GRANT USAGE, CREATE ON SCHEMA public TO haul_owner;
GRANT USAGE ON SCHEMA public TO haul_importer;
