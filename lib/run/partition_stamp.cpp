#include "run/partition_stamp.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>

#include "io/atomic_file.hpp"
#include "util/sha256.hpp"

namespace haul::run {

// Size and modification time identify a file's version well enough to
// decide whether outputs are stale.
std::string file_stamp(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path.string() + " missing\n";
  return fmt::format("{} {} {}.{:09d}\n", path.string(), st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

std::optional<std::string> file_identity(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return fmt::format("{}:{}:{}:{}.{}", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

std::optional<RecordCounts> up_to_date_counts(const std::filesystem::path& report_path,
                                              std::string_view fingerprint,
                                              const std::vector<std::filesystem::path>& outputs,
                                              const char* out_key, const char* rejected_key) {
  std::error_code ec;
  for (const auto& path : outputs) {
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
  }
  auto counts = stamped_counts(report_path, fingerprint, out_key, rejected_key);
  if (!counts) return std::nullopt;
  // A killed --force run may have left temporaries next to the current outputs.
  for (const auto& path : outputs) io::sweep_stale_temporaries(path);
  io::sweep_stale_temporaries(report_path);
  return counts;
}

std::string fingerprint(std::string_view stamps) {
  return Sha256().hex(fmt::format("haul {}\n{}", HAUL_VERSION, stamps));
}

std::optional<RecordCounts> stamped_counts(const std::filesystem::path& report_path,
                                           std::string_view fingerprint, const char* out_key,
                                           const char* rejected_key) {
  simdjson::dom::parser parser;
  simdjson::dom::element report;
  std::string_view stored;
  RecordCounts counts;
  if (parser.load(report_path.string()).get(report) || report["fingerprint"].get(stored) ||
      stored != fingerprint || report["records_in"].get(counts.in) ||
      report[out_key].get(counts.out) || report[rejected_key].get(counts.rejected)) {
    return std::nullopt;
  }
  return counts;
}

void begin_partition_report(io::JsonWriter& json, std::string_view stage, const Date& date,
                            std::string_view type) {
  json.begin_object();
  json.field("stage", stage);
  json.field("date", date.to_string());
  json.field("type", type);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? "0%"
                    : fmt::format("{:.1f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

}  // namespace haul::run
