#pragma once
// Is a partition's output already up to date? A stage fingerprints what its
// outputs depend on (input files by name, size and mtime; config files; the
// haul version) and writes the fingerprint into its report file, which it
// writes last. A later run with the same fingerprint and a readable report
// can skip the work and reuse the counts (DESIGN §2.2), without reading
// gigabytes of input to find out.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/json_writer.hpp"
#include "run/run_ledger.hpp"
#include "util/date.hpp"

namespace haul::run {

// "<path> <size> <mtime>\n", or "<path> missing\n".
std::string file_stamp(const std::filesystem::path& path);

// The identity of a file's current version (device, inode, size, mtime in
// nanoseconds), so a stage that reads its input twice can make sure both
// passes read the same file. nullopt when it cannot be stat()ed.
std::optional<std::string> file_identity(const std::filesystem::path& path);

// SHA-256 hex of the haul version and `stamps` (concatenated file_stamp()s
// and any settings that change the output).
std::string fingerprint(std::string_view stamps);

// The counts stored in `report_path` when its "fingerprint" equals
// `fingerprint`: records_in, and the numbers under `out_key` and
// `rejected_key`. nullopt when the report is missing, unreadable or stale.
std::optional<RecordCounts> stamped_counts(const std::filesystem::path& report_path,
                                           std::string_view fingerprint, const char* out_key,
                                           const char* rejected_key);

// The counts of a partition whose outputs are up to date: every path in
// `outputs` exists and stamped_counts() vouches for them. Temporaries a
// killed earlier run left next to them are swept. nullopt: redo the work.
std::optional<RecordCounts> up_to_date_counts(const std::filesystem::path& report_path,
                                              std::string_view fingerprint,
                                              const std::vector<std::filesystem::path>& outputs,
                                              const char* out_key, const char* rejected_key);

// Opens a partition's report object, {"stage":…,"date":…,"type":…, the
// head every stage's report file shares (validate_report.json, meta.json,
// dedup_report.json, import_report.json); the caller adds its fields and
// closes it.
void begin_partition_report(io::JsonWriter& json, std::string_view stage, const Date& date,
                            std::string_view type);

// "12.5%" of part in whole ("0%" when whole is 0), for summaries.
std::string percent(std::uint64_t part, std::uint64_t whole);

}  // namespace haul::run
