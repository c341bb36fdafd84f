-- What haul-enrich adds to a listing, as typed columns next to the record (which holds
-- all of it too): the investment grade, where the listing is and how precisely that is
-- known, and its price against comparable listings on the day it was last written.
ALTER TABLE vehicles
  ADD COLUMN investment_grade    text,
  ADD COLUMN location_country    text,
  ADD COLUMN latitude            double precision CHECK (latitude BETWEEN -90 AND 90),
  ADD COLUMN longitude           double precision CHECK (longitude BETWEEN -180 AND 180),
  ADD COLUMN geo_precision       text,
  ADD COLUMN geo_source          text,
  ADD COLUMN market_median       numeric,
  ADD COLUMN market_comparables  integer,
  ADD COLUMN price_vs_market     numeric,
  ADD COLUMN deal_score          integer CHECK (deal_score BETWEEN 0 AND 100);

ALTER TABLE events
  ADD COLUMN location_country    text,
  ADD COLUMN latitude            double precision CHECK (latitude BETWEEN -90 AND 90),
  ADD COLUMN longitude           double precision CHECK (longitude BETWEEN -180 AND 180),
  ADD COLUMN geo_precision       text,
  ADD COLUMN geo_source          text;

-- haul-enrich reads the active listings of the batch's makes for market prices.
CREATE INDEX vehicles_active_make_idx ON vehicles (lower(make)) WHERE status = 'active';

GRANT SELECT (investment_grade, location_country, latitude, longitude, geo_precision,
    geo_source, market_median, market_comparables, price_vs_market, deal_score),
  UPDATE (investment_grade, location_country, latitude, longitude, geo_precision,
    geo_source, market_median, market_comparables, price_vs_market, deal_score)
  ON vehicles TO haul_importer;
GRANT SELECT (location_country, latitude, longitude, geo_precision, geo_source),
  UPDATE (location_country, latitude, longitude, geo_precision, geo_source)
  ON events TO haul_importer;
