#include "import/chunk_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <pqxx/pqxx>
#include <tuple>
#include <unordered_map>

namespace haul::import {
namespace {

constexpr const char* kStageColumns[] = {"line_no", "listing_key", "data_hash", "content_hash",
                                         "record"};

// Runs `work` under a savepoint. A permanent error rolls back to the savepoint
// and is returned; any other error propagates.
template <typename Work>
bool under_savepoint(pqxx::work& tx, db::DbError& error, Work&& work) {
  tx.exec0("SAVEPOINT haul_rows");
  try {
    work();
  } catch (const std::exception& e) {
    error = db::classify(e);
    if (error.kind != db::ErrorKind::kPermanent) throw;
    tx.exec0("ROLLBACK TO SAVEPOINT haul_rows");
    return false;
  }
  tx.exec0("RELEASE SAVEPOINT haul_rows");
  return true;
}

}  // namespace

std::size_t copy_error_line(const std::string& message, std::string_view table) {
  std::string needle = fmt::format("COPY {}, line ", table);
  std::size_t at = message.find(needle);
  if (at == std::string::npos) return 0;
  const char* begin = message.data() + at + needle.size();
  std::size_t line = 0;
  auto [end, ec] = std::from_chars(begin, message.data() + message.size(), line);
  return ec == std::errc() && end != begin ? line : 0;
}

ChunkLoader::ChunkLoader(const TableSpec& spec, std::string run_date)
    : run_date_(std::move(run_date)),
      upsert_sql_(upsert_sql(spec)),
      touch_sql_(touch_sql(spec)) {}

bool ChunkLoader::try_copy(pqxx::work& tx, const std::vector<ChunkRow>& chunk,
                           const std::vector<std::size_t>& rows, db::DbError& error,
                           std::size_t& line) {
  line = 0;
  bool ok = under_savepoint(tx, error, [&] {
    pqxx::stream_to stream(
        tx, std::string(kStageTable),
        std::vector<std::string>(std::begin(kStageColumns), std::end(kStageColumns)));
    for (std::size_t index : rows) {
      const ChunkRow& row = chunk[index];
      const std::int64_t line_no = static_cast<std::int64_t>(index) + 1;
      stream << std::tie(line_no, row.listing_key, row.data_hash, row.content_hash, row.text);
    }
    // Errors surface only here; the destructor would swallow them.
    stream.complete();
  });
  if (!ok) line = copy_error_line(error.message + "\n" + error.detail, kStageTable);
  return ok;
}

void ChunkLoader::copy_isolating(pqxx::work& tx, const std::vector<ChunkRow>& chunk,
                                 std::vector<std::size_t> rows, std::vector<bool>& staged,
                                 ChunkOutcome& outcome) {
  auto mark_staged = [&](const std::vector<std::size_t>& done) {
    for (std::size_t index : done) staged[index] = true;
  };
  while (!rows.empty()) {
    db::DbError error;
    std::size_t line = 0;
    ++outcome.statements;
    if (try_copy(tx, chunk, rows, error, line)) {
      mark_staged(rows);
      return;
    }
    if (line == 0 || line > rows.size()) {
      // No usable line number: copy the rows one by one.
      if (rows.size() == 1) {
        outcome.rejected.push_back({rows[0], error});
        return;
      }
      for (std::size_t index : rows) copy_isolating(tx, chunk, {index}, staged, outcome);
      return;
    }
    outcome.rejected.push_back({rows[line - 1], error});
    std::vector<std::size_t> before(rows.begin(), rows.begin() + static_cast<long>(line - 1));
    std::vector<std::size_t> after(rows.begin() + static_cast<long>(line), rows.end());
    if (!before.empty()) copy_isolating(tx, chunk, std::move(before), staged, outcome);
    rows = std::move(after);
  }
}

void ChunkLoader::upsert_isolating(pqxx::work& tx, const std::vector<bool>& staged,
                                   std::size_t first, std::size_t last, ChunkOutcome& outcome) {
  std::size_t present = 0, only = first;
  for (std::size_t i = first; i <= last; ++i) {
    if (staged[i]) {
      ++present;
      only = i;
    }
  }
  if (present == 0) return;
  db::DbError error;
  std::uint64_t written = 0, existing = 0;
  ++outcome.statements;
  bool ok = under_savepoint(tx, error, [&] {
    pqxx::row counts = tx.exec_params1(upsert_sql_, run_date_, static_cast<std::int64_t>(first + 1),
                                       static_cast<std::int64_t>(last + 1));
    written = counts[0].as<std::uint64_t>();
    existing = counts[1].as<std::uint64_t>();
  });
  if (ok) {
    // Staged keys are unique (superseded rows were never sent), so every
    // staged row not there before was inserted.
    const std::uint64_t inserted = present - existing;
    outcome.inserted += inserted;
    outcome.updated += written - inserted;
    outcome.unchanged += present - written;
    return;
  }
  if (present == 1) {
    outcome.rejected.push_back({only, error});
    return;
  }
  std::size_t middle = first + (last - first) / 2;
  upsert_isolating(tx, staged, first, middle, outcome);
  upsert_isolating(tx, staged, middle + 1, last, outcome);
}

ChunkOutcome ChunkLoader::load(pqxx::work& tx, const std::vector<ChunkRow>& rows) {
  ChunkOutcome outcome;
  if (rows.empty()) return outcome;

  // 1. The last record of each listing_key wins.
  std::unordered_map<std::string_view, std::size_t> last_of_key;
  last_of_key.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) last_of_key[rows[i].listing_key] = i;
  std::vector<std::size_t> to_copy;
  to_copy.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (last_of_key[rows[i].listing_key] == i) {
      to_copy.push_back(i);
    } else {
      ++outcome.superseded;
    }
  }

  // Sent in key order: the upsert's DISTINCT ON then sorts presorted input
  // (a linear check), and the unique index is filled page by page.
  std::sort(to_copy.begin(), to_copy.end(), [&](std::size_t a, std::size_t b) {
    return rows[a].listing_key < rows[b].listing_key;
  });

  // The stage holds at most one chunk: every lookup below is best done as one
  // probe of the listing_key index per staged row. A hash or merge join would
  // read the whole target table for every chunk, and the table only grows.
  // A chunk's records (a few MB) are sorted in memory, not spilled to disk.
  tx.exec0(
      "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
      "SET LOCAL work_mem = '64MB'");

  // 2. COPY, isolating rows the server refuses.
  std::vector<bool> staged(rows.size(), false);
  copy_isolating(tx, rows, std::move(to_copy), staged, outcome);

  // 3. Upsert, bisecting around rows that break the table's rules.
  const std::size_t rejected_by_copy = outcome.rejected.size();
  upsert_isolating(tx, staged, 0, rows.size() - 1, outcome);
  if (outcome.rejected.size() > rejected_by_copy) {
    // Rejected rows must not count as seen either.
    std::string lines = "{";
    for (std::size_t i = rejected_by_copy; i < outcome.rejected.size(); ++i) {
      if (lines.size() > 1) lines += ',';
      lines += std::to_string(outcome.rejected[i].row + 1);
    }
    lines += '}';
    tx.exec_params0(fmt::format("DELETE FROM {} WHERE line_no = ANY($1::integer[])", kStageTable),
                    lines);
  }

  // 4. Seen again: advance last_seen_at where it is older than the run date.
  // Inserted and updated rows already carry the run date, so only unchanged
  // ones can need it (none on a first load).
  if (outcome.unchanged > 0) tx.exec_params0(touch_sql_, run_date_);
  return outcome;
}

}  // namespace haul::import
