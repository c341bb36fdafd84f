#include "import/failure_lines.hpp"

#include "io/json_writer.hpp"
#include "schema/error_json.hpp"
#include "util/utf8.hpp"

namespace haul::import {
namespace {

constexpr std::size_t kExcerptBytes = 4096;

void place_fields(io::JsonWriter& json, const RecordPlace& place) {
  json.field("input_file", place.input_file);
  json.field("record_no", place.record_no);
  json.field("type", place.type);
}

void error_fields(io::JsonWriter& json, const db::DbError& error) {
  json.key("sqlstate");
  if (error.sqlstate.empty()) {
    json.null();
  } else {
    json.value(error.sqlstate);
  }
  json.field("exception", error.exception);
  json.field("message", utf8::sanitize(error.message));
  if (!error.detail.empty()) json.field("detail", utf8::sanitize(error.detail));
}

std::string finish(std::string& line) {
  line.push_back('\n');
  return std::move(line);
}

}  // namespace

std::string refused_line(const RecordPlace& place, std::string_view listing_key,
                         std::string_view data_hash, const db::DbError& error,
                         std::string_view record) {
  std::string line;
  io::JsonWriter json(line);
  json.begin_object();
  place_fields(json, place);
  json.field("listing_key", listing_key);
  json.field("data_hash", data_hash);
  error_fields(json, error);
  json.key("record");
  json.raw(record);
  json.end_object();
  return finish(line);
}

std::string unreadable_line(const RecordPlace& place, const schema::ValidationError& error,
                            std::string_view bytes) {
  std::string line;
  io::JsonWriter json(line);
  json.begin_object();
  place_fields(json, place);
  json.key("errors");
  schema::write_errors(json, {error});
  json.field("record_bytes", static_cast<std::uint64_t>(bytes.size()));
  json.field("record_text", utf8::sanitize(bytes.substr(0, kExcerptBytes)));
  json.end_object();
  return finish(line);
}

std::string queued_line(const RecordPlace& place, std::string_view listing_key,
                        const db::DbError& error, int attempts, std::string_view record) {
  std::string line;
  io::JsonWriter json(line);
  json.begin_object();
  place_fields(json, place);
  json.field("listing_key", listing_key);
  error_fields(json, error);
  json.field("attempts", attempts);
  json.key("record");
  json.raw(record);
  json.end_object();
  return finish(line);
}

}  // namespace haul::import
