#include "run/run_ledger.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace haul::run
