#pragma once
// How the records of one type map onto their table: which canonical field
// fills which typed column, with which SQL type. The SQL the import runs is
// generated from it, so the column list is written down once.
//
// Records travel to the server as JSON text (a temp stage table of
// line_no, listing_key, data_hash, content_hash, record), and the jsonb
// record and typed columns are cast from it in the upsert: a value that does
// not fit its column (22xxx) or breaks a constraint (23xxx) fails the
// statement, and the chunk loader isolates that row.

#include <string>
#include <string_view>
#include <vector>

namespace haul::import {

enum class SqlType { kText, kInteger, kNumeric, kFloat, kTimestamp, kTextArray };

struct ColumnSpec {
  std::string_view column;  // in the table
  std::string_view field;   // key of the record; "a.b": member b of object a
  SqlType type;
};

struct TableSpec {
  std::string_view type;   // "vehicles"
  std::string_view table;  // "vehicles"
  std::vector<ColumnSpec> columns;
};

// The spec of a record type from io::kRecordTypes; nullptr for others.
const TableSpec* table_spec(std::string_view type);

// The name of the session's temporary stage table, and its definition.
inline constexpr std::string_view kStageTable = "haul_stage";
std::string create_stage_table_sql();

// INSERT ... SELECT DISTINCT ON (listing_key) ... ON CONFLICT (listing_key)
// DO UPDATE ... WHERE content_hash IS DISTINCT FROM: the stage rows with
// line_no in [$2, $3], first/last seen at $1. Returns one row:
// (rows written, staged listings that already existed).
std::string upsert_sql(const TableSpec& spec);

// Advances last_seen_at to $1 (and status to active) for the rows of the
// stage table that were seen before $1; a no-op for rows already seen then.
std::string touch_sql(const TableSpec& spec);

}  // namespace haul::import
