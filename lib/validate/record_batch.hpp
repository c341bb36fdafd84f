#pragma once
// A batch of raw records from one input file, validated as a unit on a
// worker thread. The batch owns copies of its records' bytes (the reader's
// buffer moves on) and collects its outputs as ready-made NDJSON text, which
// the stage appends to the output files in batch order.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/record_reader.hpp"
#include "schema/record_policy.hpp"
#include "schema/schema.hpp"
#include "source/source_catalog.hpp"
#include "validate/record_checker.hpp"

namespace haul::validate {

// What one input file's records share.
struct FileContext {
  std::string source;
  std::string type;
  std::string raw_file;  // relative to the data root
  const source::FieldMapping* mapping = nullptr;
  std::size_t max_record_bytes = 0;
  std::string meta_prefix;  // validate::meta_prefix() of the above
};

struct Tally {
  std::uint64_t in = 0;
  std::uint64_t valid = 0;
  std::uint64_t rejected = 0;
  std::uint64_t files_rejected = 0;
  std::map<std::string, std::uint64_t> errors_by_code;

  void add(const Tally& other);
};

class RecordBatch {
 public:
  explicit RecordBatch(const FileContext& file) : file_(&file) {}

  // Copies `record` in. Returns the bytes held so far.
  std::size_t add(const io::RawRecord& record);
  std::size_t size() const { return records_.size(); }
  std::size_t input_bytes() const { return input_bytes_; }

  const FileContext& file() const { return *file_; }
  // Results, filled by BatchValidator.
  std::string valid_lines;
  std::string rejected_lines;
  Tally tally;
  std::vector<std::string> first_rejections;  // for the log, a few per batch

 private:
  friend class BatchValidator;
  struct Entry {
    std::size_t offset;  // into bytes_
    io::RawRecord record;
  };
  const FileContext* file_;
  std::string bytes_;
  std::size_t input_bytes_ = 0;  // of the records as read (bytes_ gains padding)
  std::vector<Entry> records_;
};

// Per-thread validation state: a parser and a record checker.
class BatchValidator {
 public:
  BatchValidator(const schema::Schema& schema, const schema::RecordPolicy& policy, Date run_date,
                 std::size_t max_record_bytes);
  void validate(RecordBatch& batch);

 private:
  void validate_one(const RecordBatch& batch, const io::RawRecord& record, RecordBatch& out);
  simdjson::dom::parser parser_;
  RecordChecker checker_;
  std::string scratch_;  // the output line of a record rejected before its check
  schema::ValidationErrors errors_;
};

// How many rejections each batch keeps for the log.
inline constexpr std::size_t kLoggedRejectionsPerBatch = 3;

}  // namespace haul::validate
