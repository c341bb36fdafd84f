#pragma once
// Loads one chunk of records inside the caller's transaction, isolating bad
// rows so that their neighbours still land (pgloader-style):
//
//  1. Rows whose listing_key repeats later in the chunk are superseded: only
//     the last one of a key is sent (an upsert cannot touch a row twice).
//  2. COPY into the temp stage table under a savepoint. A permanent error
//     names its `line N`: that row is rejected, the rows before it are copied
//     again, and COPY goes on with the rows after it.
//  3. The upsert from the stage table under a savepoint. A permanent error
//     there names no row, so the chunk is bisected by line number until the
//     failing rows are single rows, which are rejected.
//  4. last_seen_at is advanced for the rows that were seen earlier.
//
// Transient and fatal errors are not handled here: they propagate (as the
// libpqxx exception) so the caller rolls the whole chunk back and retries or
// stops. The caller commits.

#include <cstdint>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "db/error_class.hpp"
#include "import/table_spec.hpp"

namespace haul::import {

// A record ready to load: its text and identities.
struct ChunkRow {
  std::uint64_t record_no = 0;  // 1-based position in the input file
  std::string text;             // the record, compact JSON
  std::string listing_key, data_hash, content_hash;
};

struct RowRejection {
  std::size_t row = 0;  // index into the chunk
  db::DbError error;
};

struct ChunkOutcome {
  std::uint64_t inserted = 0;
  std::uint64_t updated = 0;
  std::uint64_t unchanged = 0;
  std::uint64_t superseded = 0;
  std::vector<RowRejection> rejected;
  std::uint64_t statements = 0;  // COPY and upsert statements issued (isolation cost)
};

class ChunkLoader {
 public:
  // `run_date` ("YYYY-MM-DD") becomes first_seen_at/last_seen_at.
  ChunkLoader(const TableSpec& spec, std::string run_date);

  ChunkOutcome load(pqxx::work& tx, const std::vector<ChunkRow>& rows);

 private:
  // COPYs `rows` (indexes into the chunk); a permanent error returns it with
  // the 1-based line it names (0: none). Other errors throw.
  bool try_copy(pqxx::work& tx, const std::vector<ChunkRow>& chunk,
                const std::vector<std::size_t>& rows, db::DbError& error, std::size_t& line);
  void copy_isolating(pqxx::work& tx, const std::vector<ChunkRow>& chunk,
                      std::vector<std::size_t> rows, std::vector<bool>& staged,
                      ChunkOutcome& outcome);
  void upsert_isolating(pqxx::work& tx, const std::vector<bool>& staged, std::size_t first,
                        std::size_t last, ChunkOutcome& outcome);

  std::string run_date_;
  std::string upsert_sql_;
  std::string touch_sql_;
};

// The `line N` of a COPY error message for `table`; 0 when absent.
std::size_t copy_error_line(const std::string& message, std::string_view table);

}  // namespace haul::import
