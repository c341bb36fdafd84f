#include "scrape/source_stats.hpp"

#include <simdjson.h>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "run/partition_stamp.hpp"

namespace haul::scrape {

void SourceStats::count(const http::Response& response) {
  for (const http::Attempt& attempt : response.attempts) {
    ++requests;
    request_seconds += attempt.duration_s;
    ++status_codes[attempt.status != 0 ? std::to_string(attempt.status) : "network_error"];
  }
  retries += static_cast<std::uint64_t>(response.retries());
  bytes += response.bytes_received;
}

std::string SourceStats::to_json() const {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  json.field("status", status);
  json.field("requests", requests);
  json.field("bytes", bytes);
  json.key("status_codes");
  json.begin_object();
  for (const auto& [code, count] : status_codes) json.field(code, count);
  json.end_object();
  json.field("retries", retries);
  json.field("records", records);
  json.field("pages", pages);
  json.field("not_modified", not_modified);
  json.field("robots_blocked", robots_blocked);
  json.key("errors");
  json.begin_array();
  for (const PageError& error : errors) {
    json.begin_object();
    json.field("page", error.page);
    json.field("url", error.url);
    json.field("reason", error.reason);
    if (!error.body_file.empty()) json.field("body_file", error.body_file);
    json.end_object();
  }
  json.end_array();
  json.field("started_at", started_at);
  json.field("ended_at", ended_at);
  json.field("duration_s", duration_s);
  json.field("request_seconds", request_seconds);
  json.end_object();
  return out;
}

std::map<std::string, SourceOutcome> read_source_outcomes(const std::filesystem::path& dir) {
  std::map<std::string, SourceOutcome> outcomes;
  simdjson::dom::parser parser;
  simdjson::dom::element meta;
  simdjson::dom::object sources;
  if (parser.load((dir / "meta.json").string()).get(meta) || meta["sources"].get(sources)) {
    return outcomes;
  }
  for (auto [name, value] : sources) {
    SourceOutcome outcome;
    std::string_view status;
    if (value["status"].get(status)) continue;
    outcome.status = status;
    std::uint64_t records = 0;
    if (!value["records"].get(records)) outcome.records = records;
    outcomes.emplace(name, std::move(outcome));
  }
  return outcomes;
}

Status write_meta(const std::filesystem::path& dir, const Date& date, const std::string& type,
                  const std::map<std::string, std::string>& source_json) {
  std::map<std::string, std::string> all = source_json;
  simdjson::dom::parser parser;
  simdjson::dom::element previous;
  simdjson::dom::object sources;
  if (!parser.load((dir / "meta.json").string()).get(previous) &&
      !previous["sources"].get(sources)) {
    for (auto [name, value] : sources) {
      std::string text;
      io::JsonWriter(text).value(value);
      all.try_emplace(std::string(name), std::move(text));
    }
  }
  std::string out;
  io::JsonWriter json(out);
  run::begin_partition_report(json, "scrape", date, type);
  json.key("sources");
  json.begin_object();
  for (const auto& [name, text] : all) {
    json.key(name);
    json.raw(text);
  }
  json.end_object();
  json.end_object();
  out.push_back('\n');
  return io::write_file_atomically(dir / "meta.json", out);
}

}  // namespace haul::scrape
