#include "cleanup/action_log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace haul::cleanup {

void ActionLog::print(std::string_view verb, std::string_view kind, std::string_view subject,
                      std::string_view detail) const {
  const std::string line =
      fmt::format("{}{} {}{}{}", verb, kind, subject, detail.empty() ? "" : " ", detail);
  if (dry_run_ && print_) {
    std::printf("%s\n", line.c_str());
  } else {
    spdlog::debug("{}", line);
  }
}

void ActionLog::add(std::string_view kind, std::string subject, std::string_view detail) {
  print(dry_run_ ? "would " : "", kind, subject, detail);
  Tally& tally = actions_[std::string(kind)];
  ++tally.count;
  if (tally.subjects.size() < kSampleLimit) tally.subjects.push_back(std::move(subject));
}

void ActionLog::add_many(std::string_view kind, std::uint64_t count,
                         const std::vector<std::string>& subjects, std::string_view detail) {
  if (count == 0) return;
  std::string shown;
  for (std::size_t i = 0; i < subjects.size() && i < kSampleLimit; ++i) {
    shown += (i ? ", " : "") + subjects[i];
  }
  if (subjects.size() > kSampleLimit || count > subjects.size()) {
    shown += fmt::format(" and {} more", count - std::min<std::uint64_t>(subjects.size(), kSampleLimit));
  }
  print(dry_run_ ? "would " : "", kind, fmt::format("{}: {}", count, shown), detail);
  Tally& tally = actions_[std::string(kind)];
  tally.count += count;
  for (const std::string& subject : subjects) {
    if (tally.subjects.size() >= kSampleLimit) break;
    tally.subjects.push_back(subject);
  }
}

void ActionLog::failed(std::string_view kind, std::string subject, std::string_view why) {
  spdlog::error("{} {} failed: {}", kind, subject, why);
  failed_.push_back({std::string(kind), std::move(subject), std::string(why)});
}

void ActionLog::kept(std::string_view kind, std::string subject, std::string_view why) {
  spdlog::warn("not {} {}: {}", kind, subject, why);
  kept_.push_back({std::string(kind), std::move(subject), std::string(why)});
}

std::uint64_t ActionLog::count(std::string_view kind) const {
  auto it = actions_.find(kind);
  return it == actions_.end() ? 0 : it->second.count;
}

std::uint64_t ActionLog::total() const {
  std::uint64_t n = 0;
  for (const auto& [kind, tally] : actions_) n += tally.count;
  return n;
}

std::uint64_t ActionLog::failures() const { return failed_.size(); }

void ActionLog::write_json(io::JsonWriter& json) const {
  json.key("actions");
  json.begin_object();
  for (const auto& [kind, tally] : actions_) {
    json.key(kind);
    json.begin_object();
    json.field("count", tally.count);
    json.key("subjects");
    json.begin_array();
    for (const std::string& subject : tally.subjects) json.value(subject);
    json.end_array();
    json.field("more", tally.count - std::min<std::uint64_t>(tally.count, tally.subjects.size()));
    json.end_object();
  }
  json.end_object();
  for (const auto* notes : {&failed_, &kept_}) {
    json.key(notes == &failed_ ? "failed" : "kept");
    json.begin_array();
    for (const Note& note : *notes) {
      json.begin_object();
      json.field("action", note.kind);
      json.field("subject", note.subject);
      json.field("reason", note.why);
      json.end_object();
    }
    json.end_array();
  }
}

std::string ActionLog::summary() const {
  std::string out;
  for (const auto& [kind, tally] : actions_) {
    if (tally.count == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", tally.count, kind);
  }
  if (out.empty()) out = "nothing to do";
  if (!failed_.empty()) out += fmt::format(", {} failed", failed_.size());
  if (!kept_.empty()) out += fmt::format(", {} kept", kept_.size());
  return (dry_run_ ? "dry run: would " : "") + out;
}

}  // namespace haul::cleanup
