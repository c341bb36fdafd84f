#pragma once
// One response body turned into the text of a raw file: the records array
// found at the source's JSON Pointer, each record with the source's renames
// applied to its keys, its values copied byte for byte as the source sent
// them, and a "_meta" object of provenance appended:
//   {"source", "request_url" (redacted), "page", "index", "scraped_at"}
// A key "_meta" the source itself sent is kept as "_source_meta".
//
// The file is a JSON array with one record per line, which jq, haul-validate
// and people all read. A body that is not JSON, or has no records at the
// pointer, yields a reason instead. The fields that drive pagination (total,
// cursor, next link) and the incremental bookmark are read in the same pass.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "source/source_catalog.hpp"

namespace haul::scrape {

struct PageContext {
  std::string source;
  std::string request_url;  // redacted
  std::int64_t page = 0;    // 1-based sequence number of the page in this run
  std::string scraped_at;
  const source::FetchSpec* fetch = nullptr;
  const source::FieldMapping* mapping = nullptr;
};

struct PageRecords {
  std::string error;  // non-empty: the body is unusable, and why
  std::string file_text;
  std::uint64_t records = 0;
  std::optional<std::int64_t> total;    // from pagination.total_pointer
  std::optional<std::string> cursor;    // from pagination.cursor_pointer
  std::optional<std::string> next_url;  // from pagination.next_pointer
  // The largest value of the incremental field among the records, as text
  // (numbers compare as numbers, strings as strings: ISO dates sort).
  std::optional<std::string> max_incremental;
};

PageRecords extract_page(std::string_view body, const PageContext& context);

// Is `a` a later bookmark than `b`? Numbers compare numerically, else text.
bool bookmark_after(const std::string& a, const std::string& b);

}  // namespace haul::scrape
