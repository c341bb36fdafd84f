#include "import/table_spec.hpp"

#include <fmt/format.h>

namespace haul::import {
namespace {

using T = SqlType;

const std::vector<TableSpec>& specs() {
  static const std::vector<TableSpec> all = {
      {"vehicles",
       "vehicles",
       {{"make", "make", T::kText},
        {"model", "model", T::kText},
        {"year", "year", T::kInteger},
        {"price", "price", T::kNumeric},
        {"mileage", "mileage", T::kInteger},
        {"vin", "vin", T::kText},
        {"description", "description", T::kText},
        {"image_url", "imageUrl", T::kText},
        {"location_city", "locationCity", T::kText},
        {"location_state", "locationState", T::kText},
        {"location_region", "locationRegion", T::kText},
        {"category", "category", T::kText},
        {"condition", "condition", T::kText},
        {"source_name", "sourceName", T::kText},
        {"source_url", "sourceUrl", T::kText},
        {"stock_number", "stockNumber", T::kText},
        {"investment_grade", "investmentGrade", T::kText},
        {"location_country", "locationCountry", T::kText},
        {"latitude", "geo.lat", T::kFloat},
        {"longitude", "geo.lng", T::kFloat},
        {"geo_precision", "geo.precision", T::kText},
        {"geo_source", "geo.source", T::kText},
        {"market_median", "market.median", T::kNumeric},
        {"market_comparables", "market.comparables", T::kInteger},
        {"price_vs_market", "market.priceVsMarket", T::kNumeric},
        {"deal_score", "market.dealScore", T::kInteger}}},
      {"events",
       "events",
       {{"title", "title", T::kText},
        {"start_date", "startDate", T::kTimestamp},
        {"end_date", "endDate", T::kTimestamp},
        {"venue", "venue", T::kText},
        {"location_city", "locationCity", T::kText},
        {"location_state", "locationState", T::kText},
        {"category", "category", T::kText},
        {"price", "price", T::kNumeric},
        {"description", "description", T::kText},
        {"image_url", "imageUrl", T::kText},
        {"source_name", "sourceName", T::kText},
        {"source_url", "sourceUrl", T::kText},
        {"location_country", "locationCountry", T::kText},
        {"latitude", "geo.lat", T::kFloat},
        {"longitude", "geo.lng", T::kFloat},
        {"geo_precision", "geo.precision", T::kText},
        {"geo_source", "geo.source", T::kText}}},
      {"articles",
       "articles",
       {{"title", "title", T::kText},
        {"url", "url", T::kText},
        {"published_at", "publishedAt", T::kTimestamp},
        {"author", "author", T::kText},
        {"summary", "summary", T::kText},
        {"body", "body", T::kText},
        {"language", "language", T::kText},
        {"tags", "tags", T::kTextArray},
        {"image_url", "imageUrl", T::kText},
        {"source_name", "sourceName", T::kText}}},
  };
  return all;
}

// The typed value of one field of the stage row `s`. Field names are
// compile-time constants of this file, never input.
// A dotted field ("geo.lat") is a member of a nested object.
std::string value_expression(const ColumnSpec& column) {
  std::string path = "s.record";
  std::string_view field = column.field;
  for (auto dot = field.find('.'); dot != std::string_view::npos; dot = field.find('.')) {
    path += fmt::format("->'{}'", field.substr(0, dot));
    field.remove_prefix(dot + 1);
  }
  std::string text = fmt::format("({}->>'{}')", path, field);
  switch (column.type) {
    case T::kText:
      return text;
    case T::kInteger:
      return text + "::integer";
    case T::kNumeric:
      return text + "::numeric";
    case T::kFloat:
      return text + "::double precision";
    case T::kTimestamp:
      return text + "::timestamptz";
    case T::kTextArray:
      return fmt::format(
          "CASE WHEN jsonb_typeof(s.record->'{0}') IS NULL "
          "OR jsonb_typeof(s.record->'{0}') = 'null' THEN NULL "
          "ELSE ARRAY(SELECT jsonb_array_elements_text(s.record->'{0}')) END",
          column.field);
  }
  return text;
}

}  // namespace

const TableSpec* table_spec(std::string_view type) {
  for (const TableSpec& spec : specs()) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

// The record travels as text: parsing it into jsonb is left to the rows
// that are written, so an unchanged re-import never pays for it.
std::string create_stage_table_sql() {
  return fmt::format(
      "CREATE TEMP TABLE IF NOT EXISTS {} (line_no integer NOT NULL, "
      "listing_key text COLLATE \"C\" NOT NULL, data_hash text COLLATE \"C\" NOT NULL, "
      "content_hash text COLLATE \"C\" NOT NULL, record text NOT NULL) "
      "ON COMMIT DELETE ROWS",
      kStageTable);
}

std::string upsert_sql(const TableSpec& spec) {
  std::string columns, values, updates;
  for (const ColumnSpec& column : spec.columns) {
    columns += fmt::format(", {}", column.column);
    values += fmt::format(", {}", value_expression(column));
    updates += fmt::format(", {0} = EXCLUDED.{0}", column.column);
  }
  // `src` looks each staged listing up once (one index probe): whether it
  // exists, and whether its content changed. Only changed or new rows reach
  // the INSERT, which would otherwise compute the generated tsvector of every
  // unchanged row before finding the conflict; only they have their text
  // parsed into jsonb, once (OFFSET 0 keeps the planner from inlining the
  // cast into every field's expression). RETURNING (xmax = 0) could tell
  // inserts from updates, but needs table-wide SELECT, which the importer
  // role does not have: src's `existed` count does it instead. DISTINCT ON
  // guards against a key staged twice (the loader already sends each once),
  // which ON CONFLICT DO UPDATE refuses (21000); it sorts only changed rows.
  // A row seen on a later date than this import's keeps its content: a
  // backfill of an older date must not turn prices back (nor log the steps
  // in vehicle_prices).
  return fmt::format(
      "WITH src AS MATERIALIZED ("
      " SELECT s.line_no, s.listing_key, s.data_hash, s.content_hash, s.record,"
      " u.listing_key IS NOT NULL AS existed,"
      " u.content_hash IS DISTINCT FROM s.content_hash AS changed"
      " FROM {stage} s LEFT JOIN LATERAL (SELECT v.listing_key, v.content_hash FROM {table} v"
      " WHERE v.listing_key = s.listing_key) u ON true"
      " WHERE s.line_no BETWEEN $2 AND $3),"
      " written AS ("
      " INSERT INTO {table} AS t (listing_key, data_hash, content_hash{columns}, record,"
      " first_seen_at, last_seen_at)"
      " SELECT s.listing_key, s.data_hash, s.content_hash{values}, s.record,"
      " $1::timestamptz, $1::timestamptz"
      " FROM (SELECT DISTINCT ON (listing_key) listing_key, data_hash, content_hash,"
      " record::jsonb AS record FROM src WHERE changed"
      " ORDER BY listing_key, line_no DESC OFFSET 0) s"
      " ON CONFLICT (listing_key) DO UPDATE SET data_hash = EXCLUDED.data_hash,"
      " content_hash = EXCLUDED.content_hash{updates}, record = EXCLUDED.record,"
      " last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at), status = 'active'"
      " WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash"
      " AND t.last_seen_at <= EXCLUDED.last_seen_at"
      " RETURNING 1)"
      " SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM src WHERE existed)",
      fmt::arg("table", spec.table), fmt::arg("columns", columns), fmt::arg("values", values),
      fmt::arg("stage", kStageTable), fmt::arg("updates", updates));
}

std::string touch_sql(const TableSpec& spec) {
  return fmt::format(
      "UPDATE {} AS t SET last_seen_at = $1::timestamptz, status = 'active'"
      " WHERE t.listing_key = ANY (ARRAY(SELECT s.listing_key FROM {} s))"
      " AND t.last_seen_at < $1::timestamptz",
      spec.table, kStageTable);
}

}  // namespace haul::import
