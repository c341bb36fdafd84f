#pragma once
// Turns one parsed raw record into either a validated output line or the
// full list of its errors: source field mapping, declared coercions, the
// JSON Schema, then the business rules. Holds scratch buffers reused across
// records, so the per-record path does not allocate in the common case.
// Not thread-safe: one checker per thread.

#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/json_writer.hpp"
#include "schema/record_policy.hpp"
#include "schema/schema.hpp"
#include "source/source_catalog.hpp"
#include "util/date.hpp"

namespace haul::validate {

// Where a record came from; written as its `_meta`.
struct Provenance {
  std::string_view source;
  std::string_view type;
  std::string_view raw_file;  // relative to the data root
  std::uint64_t index = 0;
  std::uint64_t offset = 0;
  std::uint64_t line = 0;
  // meta_prefix(source, type, raw_file), computed once per file; optional.
  std::string_view serialized_prefix;
};

// `{"source":…,"type":…,"raw_file":…,"raw_index":` — the part of `_meta`
// that is the same for every record of a file.
std::string meta_prefix(std::string_view source, std::string_view type, std::string_view raw_file);

class RecordChecker {
 public:
  RecordChecker(const schema::Schema& schema, const schema::RecordPolicy& policy, Date run_date)
      : schema_(schema), policy_(policy), run_date_(run_date) {}

  // True when `record` is valid: its output line (mapped, coerced, with
  // _meta) is then appended to `out`. Otherwise `out` is left as it was and
  // `errors` holds every error found.
  bool check(simdjson::dom::element record, const source::FieldMapping* mapping,
             const Provenance& provenance, std::string& out, schema::ValidationErrors& errors);

 private:
  struct Slot {
    std::string_view key;
    schema::FieldValue value;
    bool renamed = false;
    bool absent = false;
    const schema::FieldPolicy* policy = nullptr;  // coercions declared for `key`
    std::string_view serialized_key;              // `"key":`, when known
  };
  // What a key at one position of the previous record resolved to. Records
  // of one source share their layout, so this usually saves the lookups.
  struct ResolvedKey {
    std::string key;
    const source::FieldMapping* mapping = nullptr;
    std::string_view canonical;  // into `mapping`; empty when not renamed
    const schema::FieldPolicy* policy = nullptr;
    std::string serialized_key;  // of the canonical name
  };
  const ResolvedKey& resolve(std::size_t position, std::string_view key,
                             const source::FieldMapping* mapping);
  void map_fields(simdjson::dom::object record, const source::FieldMapping* mapping,
                  schema::ValidationErrors& errors);
  void coerce(Slot& slot);
  void add_constants(const source::FieldMapping& mapping);
  void add_slot(std::string_view key, schema::FieldValue value);
  const Slot* find(std::string_view key) const;
  std::string_view keep(std::string text);

  const schema::Schema& schema_;
  const schema::RecordPolicy& policy_;
  Date run_date_;
  std::vector<Slot> slots_;
  std::vector<schema::Field> fields_;
  std::vector<const Slot*> present_;  // the slots behind fields_
  std::vector<std::pair<std::string_view, std::size_t>> sorted_keys_;
  // Entries are held by pointer: slots of the record being mapped point into
  // them (serialized_key), so growing the table must not move them.
  std::vector<std::unique_ptr<ResolvedKey>> resolved_;
  std::size_t resolved_misses_ = 0;         // in the record being mapped
  bool layout_free_of_duplicates_ = false;  // resolved_ as a whole
  std::deque<std::string> owned_;           // texts made for this record (derived, stringified)
  simdjson::dom::object input_meta_;
  bool has_input_meta_ = false;
};

// Writes `_meta` for a record: provenance first, then any keys the record's
// own _meta carried (from the scraper) that provenance does not override.
void write_meta(io::JsonWriter& json, const Provenance& provenance,
                const simdjson::dom::object* input_meta);

}  // namespace haul::validate
