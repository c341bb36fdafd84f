-- The listing tables. Identity (DESIGN §3 import, ARCHITECTURE.md "Record identity"):
--   listing_key   the listing: the upsert's conflict target, UNIQUE
--   data_hash     the original pipeline's generateVehicleHash-compatible hash: NOT unique
--                 (sources without stock numbers collide), indexed for haul-dedup --against-db
--   content_hash  the record's content: a row is rewritten only when it changes
-- The hashes are hex: COLLATE "C" compares them bytewise, several times faster than a
-- locale's collation, which matters for the unique index every upsert probes.
-- Typed columns hold the canonical fields, `record` the whole record (with _meta and any
-- extra fields), `search` the full-text vector.

CREATE TABLE vehicles (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_key    text COLLATE "C" NOT NULL UNIQUE CHECK (listing_key ~ '^[0-9a-f]{64}$'),
  data_hash      text COLLATE "C" NOT NULL CHECK (data_hash ~ '^[0-9a-f]{64}$'),
  content_hash   text COLLATE "C" NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  make           text NOT NULL,
  model          text NOT NULL,
  year           integer NOT NULL,
  price          numeric CHECK (price >= 0),
  mileage        integer CHECK (mileage >= 0),
  vin            text,
  description    text,
  image_url      text,
  location_city  text,
  location_state text,
  location_region text,
  category       text,
  condition      text,
  source_name    text NOT NULL,
  source_url     text,
  stock_number   text,
  record         jsonb NOT NULL,
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  search         tsvector GENERATED ALWAYS AS (
                   setweight(to_tsvector('simple', coalesce(make, '') || ' ' || coalesce(model, '')), 'A') ||
                   setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED
);
CREATE INDEX vehicles_data_hash_idx ON vehicles (data_hash);
CREATE INDEX vehicles_search_idx ON vehicles USING gin (search);

-- Price history: one row each time a listing's price changes (the current price is
-- vehicles.price). Written by a trigger, so every writer keeps it, not only haul-import.
CREATE TABLE vehicle_prices (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vehicle_id  bigint NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
  old_price   numeric,
  new_price   numeric,
  changed_at  timestamptz NOT NULL
);
CREATE INDEX vehicle_prices_vehicle_idx ON vehicle_prices (vehicle_id, changed_at);

CREATE FUNCTION vehicles_record_price_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vehicle_prices (vehicle_id, old_price, new_price, changed_at)
  VALUES (NEW.id, OLD.price, NEW.price, NEW.last_seen_at);
  RETURN NULL;
END
$$;
CREATE TRIGGER vehicles_price_change AFTER UPDATE OF price ON vehicles
  FOR EACH ROW WHEN (OLD.price IS DISTINCT FROM NEW.price)
  EXECUTE FUNCTION vehicles_record_price_change();

CREATE TABLE events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_key    text COLLATE "C" NOT NULL UNIQUE CHECK (listing_key ~ '^[0-9a-f]{64}$'),
  data_hash      text COLLATE "C" NOT NULL CHECK (data_hash ~ '^[0-9a-f]{64}$'),
  content_hash   text COLLATE "C" NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  title          text NOT NULL,
  start_date     timestamptz NOT NULL,
  end_date       timestamptz,
  venue          text,
  location_city  text,
  location_state text,
  category       text,
  price          numeric CHECK (price >= 0),
  description    text,
  image_url      text,
  source_name    text NOT NULL,
  source_url     text,
  record         jsonb NOT NULL,
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  search         tsvector GENERATED ALWAYS AS (
                   setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                   setweight(to_tsvector('english', coalesce(venue, '')), 'B') ||
                   setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED
);
CREATE INDEX events_data_hash_idx ON events (data_hash);
CREATE INDEX events_search_idx ON events USING gin (search);

CREATE TABLE articles (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_key    text COLLATE "C" NOT NULL UNIQUE CHECK (listing_key ~ '^[0-9a-f]{64}$'),
  data_hash      text COLLATE "C" NOT NULL CHECK (data_hash ~ '^[0-9a-f]{64}$'),
  content_hash   text COLLATE "C" NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  title          text NOT NULL,
  url            text NOT NULL,
  published_at   timestamptz,
  author         text,
  summary        text,
  body           text,
  language       text,
  tags           text[],
  image_url      text,
  source_name    text NOT NULL,
  record         jsonb NOT NULL,
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  search         tsvector GENERATED ALWAYS AS (
                   setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                   setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
                   setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED
);
CREATE INDEX articles_data_hash_idx ON articles (data_hash);
CREATE INDEX articles_search_idx ON articles USING gin (search);

-- The run ledger (data/state/runs.jsonl) mirrored by haul-import: the latest state of
-- each run, so the database alone tells when data last arrived.
CREATE TABLE pipeline_runs (
  run_id      text PRIMARY KEY,
  stage       text NOT NULL,
  run_date    date NOT NULL,
  type        text NOT NULL,
  status      text NOT NULL,
  pid         bigint,
  host        text,
  started_at  timestamptz,
  ended_at    timestamptz,
  duration_s  double precision,
  records_in  bigint,
  records_out bigint,
  rejected    bigint,
  skipped     boolean,
  exit_code   integer,
  error       text
);
CREATE INDEX pipeline_runs_date_idx ON pipeline_runs (run_date, stage);

ALTER TABLE vehicles OWNER TO haul_owner;
ALTER TABLE vehicle_prices OWNER TO haul_owner;
ALTER FUNCTION vehicles_record_price_change() OWNER TO haul_owner;
ALTER TABLE events OWNER TO haul_owner;
ALTER TABLE articles OWNER TO haul_owner;
ALTER TABLE pipeline_runs OWNER TO haul_owner;

-- The upsert reads EXCLUDED.<column> for every column it updates, which needs SELECT on
-- it; listing_key and id are read by the conflict check and the price trigger.
GRANT SELECT (id, listing_key,
    data_hash, content_hash, make, model, year, price, mileage, vin, description, image_url,
    location_city, location_state, location_region, category, condition, source_name,
    source_url, stock_number, record, last_seen_at, status),
  INSERT,
  UPDATE (data_hash, content_hash, make, model, year, price, mileage, vin, description, image_url,
    location_city, location_state, location_region, category, condition, source_name,
    source_url, stock_number, record, last_seen_at, status)
  ON vehicles TO haul_importer;
GRANT INSERT ON vehicle_prices TO haul_importer;
GRANT SELECT (id, listing_key,
    data_hash, content_hash, title, start_date, end_date, venue, location_city,
    location_state, category, price, description, image_url, source_name, source_url,
    record, last_seen_at, status),
  INSERT,
  UPDATE (data_hash, content_hash, title, start_date, end_date, venue, location_city,
    location_state, category, price, description, image_url, source_name, source_url,
    record, last_seen_at, status)
  ON events TO haul_importer;
GRANT SELECT (id, listing_key,
    data_hash, content_hash, title, url, published_at, author, summary, body, language,
    tags, image_url, source_name, record, last_seen_at, status),
  INSERT,
  UPDATE (data_hash, content_hash, title, url, published_at, author, summary, body, language,
    tags, image_url, source_name, record, last_seen_at, status)
  ON articles TO haul_importer;
GRANT SELECT, INSERT,
  UPDATE (stage, run_date, type, status, pid, host, started_at, ended_at, duration_s, records_in,
          records_out, rejected, skipped, exit_code, error)
  ON pipeline_runs TO haul_importer;

-- schema_migrations is made by the runner before the first migration.
ALTER TABLE schema_migrations OWNER TO haul_owner;
GRANT SELECT ON schema_migrations TO haul_importer;
