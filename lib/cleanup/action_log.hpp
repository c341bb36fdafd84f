#pragma once
// What one cleanup run did, or in a dry run would do. Every action has a
// kind ("archive", "delete_archive", "remove_temp", "abandon_run",
// "release_lock", "deactivate", "delete_incomplete", "delete_not_whitelisted",
// "mark_sold", "vacuum", ...) and a subject (a path under the data root, a
// run id, "vehicles id 42"). Each is counted per kind; the first kSampleLimit
// subjects of each kind are kept for the report; and in a dry run each is
// printed on stdout as "would <kind> <subject>", so the operator sees exactly
// what a real run would change. Failures are counted per kind too.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/json_writer.hpp"

namespace haul::cleanup {

class ActionLog {
 public:
  static constexpr std::size_t kSampleLimit = 100;

  // `print`: write dry-run lines on stdout (not with --json or --quiet).
  ActionLog(bool dry_run, bool print) : dry_run_(dry_run), print_(print) {}

  bool dry_run() const { return dry_run_; }
  // One action on `subject`; `detail` is printed after it (e.g. "-> archive/D.tar.gz").
  void add(std::string_view kind, std::string subject, std::string_view detail = {});
  // `count` actions at once, of which `subjects` name some (e.g. the ids).
  void add_many(std::string_view kind, std::uint64_t count, const std::vector<std::string>& subjects,
                std::string_view detail = {});
  void failed(std::string_view kind, std::string subject, std::string_view why);
  // Something deliberately left alone, with why (a live lock, a changed file).
  void kept(std::string_view kind, std::string subject, std::string_view why);

  std::uint64_t count(std::string_view kind) const;
  std::uint64_t total() const;
  std::uint64_t failures() const;

  // {"<kind>": {"count": n, "subjects": [...], "more": m}, ...}, then
  // "failed" and "kept" lists.
  void write_json(io::JsonWriter& json) const;
  // "12 archive, 3 remove_temp, ..." (kinds with a count only).
  std::string summary() const;

 private:
  struct Tally {
    std::uint64_t count = 0;
    std::vector<std::string> subjects;
  };
  struct Note {
    std::string kind, subject, why;
  };
  void print(std::string_view verb, std::string_view kind, std::string_view subject,
             std::string_view detail) const;

  bool dry_run_;
  bool print_;
  std::map<std::string, Tally, std::less<>> actions_;
  std::vector<Note> failed_;
  std::vector<Note> kept_;
};

}  // namespace haul::cleanup
