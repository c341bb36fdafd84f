#pragma once
// Where everything lives under the data root (DESIGN §2.6):
//   raw/D/<type>/...            what scrape fetched
//   processed/D/<type>/...      what each stage passed on
//   failed/D/<type>/...         what each stage rejected, with reasons
//   archive/D.tar.gz  logs/  state/{locks,runs.jsonl}
// D is the run's logical date. Every path is built here from a date, a record
// type from the fixed list and a file name checked by is_safe_name(), so no
// path derived from input can leave the data root.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/date.hpp"

namespace haul::io {

inline constexpr std::array<std::string_view, 3> kRecordTypes = {"vehicles", "events", "articles"};
bool is_record_type(std::string_view name);

// A plain file or directory name: letters, digits, '.', '_', '-', not
// starting with '.', at most 128 bytes. Anything else is refused.
bool is_safe_name(std::string_view name);

class DataLayout {
 public:
  // The root is made absolute once, so relative() needs no file system calls.
  explicit DataLayout(const std::filesystem::path& root)
      : root_(std::filesystem::absolute(root).lexically_normal()) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path raw_dir(const Date& date, std::string_view type) const;
  std::filesystem::path processed_dir(const Date& date, std::string_view type) const;
  std::filesystem::path failed_dir(const Date& date, std::string_view type) const;
  std::filesystem::path raw_date_dir(const Date& date) const;
  std::filesystem::path logs_dir() const { return root_ / "logs"; }
  std::filesystem::path state_dir() const { return root_ / "state"; }
  std::filesystem::path locks_dir() const { return state_dir() / "locks"; }
  std::filesystem::path ledger_path() const { return state_dir() / "runs.jsonl"; }

  // The record types whose processed/D/<type>/<file_name> exists: the
  // partitions a stage reading that file has input for.
  std::vector<std::string> types_with_processed(const Date& date, std::string_view file_name) const;

  // `path` relative to the root, for provenance that survives moving the root.
  std::string relative(const std::filesystem::path& path) const;

 private:
  std::filesystem::path root_;
};

}  // namespace haul::io
