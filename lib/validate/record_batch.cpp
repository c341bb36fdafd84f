#include "validate/record_batch.hpp"

#include <fmt/format.h>

#include "io/json_writer.hpp"
#include "schema/error_json.hpp"
#include "util/utf8.hpp"
#include "validate/nul_characters.hpp"
#include "validate/parse_failure.hpp"

namespace haul::validate {
namespace {

// How much of an unparseable record is copied into the failed file; the
// provenance (file, offset) points at the exact bytes.
constexpr std::size_t kRawExcerptBytes = 64 * 1024;

void write_raw_rejection(io::JsonWriter& json, const io::RawRecord& record,
                         const Provenance& provenance, const schema::ValidationErrors& errors) {
  std::string_view excerpt = record.bytes.substr(0, kRawExcerptBytes);
  json.begin_object();
  json.field("raw", utf8::sanitize(excerpt));
  json.field("raw_bytes", record.size);
  if (excerpt.size() < record.size) json.field("raw_truncated", true);
  json.key("_meta");
  write_meta(json, provenance, nullptr);
  json.key("errors");
  schema::write_errors(json, errors);
  json.end_object();
}

void write_record_rejection(io::JsonWriter& json, simdjson::dom::element record,
                            const Provenance& provenance, const schema::ValidationErrors& errors) {
  json.begin_object();
  json.field("record", record);
  json.key("_meta");
  simdjson::dom::object input_meta;
  bool has_meta = record.is_object() && !record["_meta"].get(input_meta);
  write_meta(json, provenance, has_meta ? &input_meta : nullptr);
  json.key("errors");
  schema::write_errors(json, errors);
  json.end_object();
}

std::string describe_rejection(const Provenance& provenance,
                               const schema::ValidationErrors& errors) {
  std::string reasons;
  for (const auto& error : errors) {
    if (!reasons.empty()) reasons += "; ";
    reasons +=
        fmt::format("{}: {} ({})", schema::path_to_string(error.path), error.message, error.code);
  }
  return fmt::format("rejected {} record {} (line {}): {}", provenance.raw_file, provenance.index,
                     provenance.line, reasons);
}

}  // namespace

void Tally::add(const Tally& other) {
  in += other.in;
  valid += other.valid;
  rejected += other.rejected;
  files_rejected += other.files_rejected;
  for (const auto& [code, count] : other.errors_by_code) errors_by_code[code] += count;
}

std::size_t RecordBatch::add(const io::RawRecord& record) {
  records_.push_back(Entry{bytes_.size(), record});
  bytes_.append(record.bytes);
  input_bytes_ += record.size;
  return bytes_.size();
}

BatchValidator::BatchValidator(const schema::Schema& schema, const schema::RecordPolicy& policy,
                               Date run_date, std::size_t max_record_bytes)
    : parser_(max_record_bytes), checker_(schema, policy, run_date) {}

void BatchValidator::validate(RecordBatch& batch) {
  // Records were appended back to back; padding after the last one lets
  // simdjson parse each in place.
  batch.bytes_.append(simdjson::SIMDJSON_PADDING, '\0');
  for (auto& entry : batch.records_) {
    io::RawRecord record = entry.record;
    record.bytes = std::string_view(batch.bytes_.data() + entry.offset, record.bytes.size());
    validate_one(batch, record, batch);
  }
}

void BatchValidator::validate_one(const RecordBatch& batch, const io::RawRecord& record,
                                  RecordBatch& out) {
  const FileContext& file = batch.file();
  ++out.tally.in;
  Provenance provenance{file.source,   file.type,   file.raw_file,   record.index,
                        record.offset, record.line, file.meta_prefix};
  errors_.clear();
  simdjson::dom::element element;
  bool parsed = false;
  if (record.too_large) {
    errors_.push_back(schema::ValidationError{
        {},
        schema::code::kRecordTooLarge,
        fmt::format("record of {} bytes is over the {}-byte limit (--max-record-bytes)",
                    record.size, file.max_record_bytes),
        fmt::format("at most {} bytes", file.max_record_bytes)});
  } else if (auto error =
                 parser_.parse(record.bytes.data(), record.bytes.size(), false).get(element)) {
    errors_.push_back(describe_parse_failure(error, record.bytes));
  } else {
    parsed = true;
    if (may_contain_nul(record.bytes)) find_nul_characters(element, errors_);
    if (!errors_.empty()) {
      // Every other error too, into a line that is thrown away.
      scratch_.clear();
      checker_.check(element, file.mapping, provenance, scratch_, errors_);
    } else if (checker_.check(element, file.mapping, provenance, out.valid_lines, errors_)) {
      // check() appends the output line only for a valid record.
      ++out.tally.valid;
      out.valid_lines.push_back('\n');
      return;
    }
  }
  ++out.tally.rejected;
  for (const auto& error : errors_) ++out.tally.errors_by_code[error.code];
  if (out.first_rejections.size() < kLoggedRejectionsPerBatch) {
    out.first_rejections.push_back(describe_rejection(provenance, errors_));
  }
  io::JsonWriter json(out.rejected_lines);
  if (parsed) {
    write_record_rejection(json, element, provenance, errors_);
  } else {
    write_raw_rejection(json, record, provenance, errors_);
  }
  out.rejected_lines.push_back('\n');
}

}  // namespace haul::validate
