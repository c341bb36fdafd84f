#include "run/run_ledger.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "io/json_writer.hpp"

namespace haul::run {

std::string to_json(const RunEntry& entry) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  json.field("run_id", entry.run_id);
  json.field("stage", entry.stage);
  json.field("date", entry.date);
  json.field("type", entry.type);
  json.field("status", entry.status);
  json.field("pid", static_cast<std::int64_t>(entry.pid));
  json.field("host", entry.host);
  json.field("started_at", entry.started_at);
  if (!entry.ended_at.empty()) {
    json.field("ended_at", entry.ended_at);
    json.field("duration_s", entry.duration_s);
    json.key("counts");
    json.begin_object();
    json.field("in", entry.counts.in);
    json.field("out", entry.counts.out);
    json.field("rejected", entry.counts.rejected);
    json.end_object();
    json.field("skipped", entry.skipped);
    json.field("exit_code", entry.exit_code);
  }
  if (!entry.error.empty()) {
    json.field("error", entry.error);
  }
  json.end_object();
  return out;
}

Status RunLedger::append(const RunEntry& entry) const {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  std::string line = to_json(entry) + "\n";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::error(ExitCode::kCantCreate, fmt::format("cannot open run ledger {}: {}",
                                                            path_.string(), std::strerror(errno)));
  }
  ssize_t n = ::write(fd, line.data(), line.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return Status::error(ExitCode::kCantCreate,
                         fmt::format("cannot append to run ledger {}: {}", path_.string(),
                                     n < 0 ? std::strerror(err) : "short write"));
  }
  return Status::ok();
}

namespace {

// One ledger line into `entry`; false when it is not a ledger entry (the
// identifying fields are required, the rest default).
bool parse_entry(simdjson::dom::element line, RunEntry& entry) {
  simdjson::dom::object object;
  if (line.get(object)) return false;
  auto text = [&](const char* key, std::string& out, bool required) {
    std::string_view value;
    if (object[key].get(value)) return !required;
    out = value;
    return true;
  };
  if (!text("run_id", entry.run_id, true) || !text("stage", entry.stage, true) ||
      !text("date", entry.date, true) || !text("status", entry.status, true)) {
    return false;
  }
  text("type", entry.type, false);
  text("host", entry.host, false);
  text("started_at", entry.started_at, false);
  text("ended_at", entry.ended_at, false);
  text("error", entry.error, false);
  std::int64_t number = 0;
  if (!object["pid"].get(number)) entry.pid = static_cast<long>(number);
  if (!object["exit_code"].get(number)) entry.exit_code = static_cast<int>(number);
  double seconds = 0;
  if (!object["duration_s"].get(seconds)) entry.duration_s = seconds;
  bool skipped = false;
  if (!object["skipped"].get(skipped)) entry.skipped = skipped;
  simdjson::dom::object counts;
  if (!object["counts"].get(counts)) {
    std::uint64_t n = 0;
    if (!counts["in"].get(n)) entry.counts.in = n;
    if (!counts["out"].get(n)) entry.counts.out = n;
    if (!counts["rejected"].get(n)) entry.counts.rejected = n;
  }
  return true;
}

}  // namespace

Status read_ledger(const std::filesystem::path& path, LedgerContents& contents) {
  contents = {};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  simdjson::padded_string text;
  if (auto error = simdjson::padded_string::load(path.string()).get(text)) {
    return Status::error(ExitCode::kNoInput, fmt::format("cannot read run ledger {}: {}",
                                                         path.string(), simdjson::error_message(error)));
  }
  simdjson::dom::parser parser;
  std::string_view rest(text.data(), text.size());
  std::uint64_t line_number = 0;
  while (!rest.empty()) {
    ++line_number;
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    RunEntry entry;
    simdjson::dom::element root;
    if (parser.parse(line.data(), line.size()).get(root) || !parse_entry(root, entry)) {
      if (contents.malformed_lines++ == 0) contents.first_malformed_line = line_number;
      continue;
    }
    contents.entries.push_back(std::move(entry));
  }
  return Status::ok();
}

std::vector<RunEntry> latest_by_run(const std::vector<RunEntry>& entries) {
  std::vector<RunEntry> runs;
  std::unordered_map<std::string, std::size_t> position;
  for (const RunEntry& entry : entries) {
    auto [it, added] = position.try_emplace(entry.run_id, runs.size());
    if (added) {
      runs.push_back(entry);
    } else {
      runs[it->second] = entry;
    }
  }
  return runs;
}

}  // namespace haul::run
