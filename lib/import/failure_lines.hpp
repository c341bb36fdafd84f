#pragma once
// The lines of import_errors.jsonl and retry_queue.jsonl. Each names the
// input file and the record's position in it, says why, and carries the
// record itself, so a person can fix it and an operator can load it again.
//
//   import_errors.jsonl  {"input_file","record_no","type","listing_key",
//                         "data_hash","sqlstate","exception","message",
//                         "detail","record"}            the database refused it
//                        {"input_file","record_no","type","errors":[...],
//                         "record_text"}                 not loadable JSON
//   retry_queue.jsonl    {"input_file","record_no","type","listing_key",
//                         "sqlstate","exception","message","attempts","record"}

#include <cstdint>
#include <string>
#include <string_view>

#include "db/error_class.hpp"
#include "schema/validation_error.hpp"

namespace haul::import {

struct RecordPlace {
  std::string_view input_file;  // relative to the data root
  std::uint64_t record_no = 0;  // 1-based
  std::string_view type;
};

// `record` is the record's compact JSON text.
std::string refused_line(const RecordPlace& place, std::string_view listing_key,
                         std::string_view data_hash, const db::DbError& error,
                         std::string_view record);

// `bytes` need not be JSON nor UTF-8: an excerpt is kept, sanitized.
std::string unreadable_line(const RecordPlace& place, const schema::ValidationError& error,
                            std::string_view bytes);

std::string queued_line(const RecordPlace& place, std::string_view listing_key,
                        const db::DbError& error, int attempts, std::string_view record);

}  // namespace haul::import
