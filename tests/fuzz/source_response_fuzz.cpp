// Fuzzes the source-response parser (scrape/page_records): an HTTP source's
// body turned into the text of a raw file. The input's first byte picks the
// records pointer and whether a field mapping applies; the rest is the body.
// Properties:
// - the body is refused (with a reason) exactly when it is not JSON or has no
//   array or object at the pointer;
// - otherwise the raw file is a JSON array of exactly the source's records,
//   in order: each object keeps its values byte-for-byte equal as JSON, its
//   keys mapped as FieldMapping::map_keys says ("_meta" kept as
//   "_source_meta"), and ends with a "_meta" whose index is its position;
//   anything else is copied as it was;
// - the raw file reads back through the record reader (what haul-validate
//   does next) as exactly that many records, with no file error;
// - the pagination total and the bookmark come from the body.

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "require.hpp"
#include "io/record_reader.hpp"
#include "scrape/page_records.hpp"

namespace {

using haul::fuzz::require;

std::string json(simdjson::dom::element element) { return simdjson::to_string(element); }

haul::source::FieldMapping make_mapping() {
  haul::source::FieldMapping mapping;
  mapping.rename = {{"brand", "make"}, {"model_year", "year"}, {"price_usd", "price"}};
  std::sort(mapping.rename.begin(), mapping.rename.end());
  return mapping;
}

std::size_t records_read_back(const std::string& file_text) {
  const int fd = ::memfd_create("source_response_fuzz", MFD_CLOEXEC);
  require(fd >= 0, "memfd_create");
  require(::write(fd, file_text.data(), file_text.size()) ==
              static_cast<ssize_t>(file_text.size()),
          "write");
  std::unique_ptr<haul::io::RecordReader> reader;
  require(haul::io::RecordReader::open("/proc/self/fd/" + std::to_string(fd), {}, reader).is_ok(),
          "the memfd opens");
  haul::io::RawRecord raw;
  std::size_t count = 0;
  while (reader->next(raw)) ++count;
  require(!reader->file_error(), "the raw file reads back without a file error");
  ::close(fd);
  return count;
}

void check_record(simdjson::dom::element in, simdjson::dom::element out, std::size_t index,
                  const haul::source::FieldMapping* mapping) {
  simdjson::dom::object source;
  if (in.get(source)) {
    require(json(out) == json(in), "a non-object record is copied as it was");
    return;
  }
  simdjson::dom::object written;
  require(!out.get(written), "an object stays an object");
  std::vector<std::string_view> keys;
  std::vector<std::string> values;
  std::vector<std::string> originals;
  for (auto field : source) {
    originals.emplace_back(field.key == "_meta" ? std::string("_source_meta")
                                                : std::string(field.key));
    values.push_back(json(field.value));
  }
  for (const auto& k : originals) keys.push_back(k);
  const std::vector<std::string> names =
      mapping ? mapping->map_keys(keys) : std::vector<std::string>(originals);
  std::size_t i = 0;
  for (auto field : written) {
    if (i == names.size()) {
      require(field.key == "_meta", "_meta comes last");
      std::uint64_t meta_index;
      require(!field.value["index"].get(meta_index) && meta_index == index,
              "_meta.index is the position");
      std::string_view source_name;
      require(!field.value["source"].get(source_name) && source_name == "fuzz", "_meta.source");
    } else {
      require(field.key == names[i], "keys mapped in order");
      require(json(field.value) == values[i], "values copied as sent");
    }
    ++i;
  }
  require(i == names.size() + 1, "every field and _meta, nothing else");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 16 * 1024) return 0;
  static const std::array<const char*, 4> kPointers = {"", "/data", "/data/items", "/0"};
  static const haul::source::FieldMapping kMapping = make_mapping();
  haul::source::FetchSpec fetch;
  fetch.records_pointer = kPointers[data[0] % 4];
  fetch.pagination.total_pointer = "/total";
  fetch.pagination.cursor_pointer = "/cursor";
  fetch.pagination.next_pointer = "/next";
  fetch.incremental_field = "updated";
  const haul::source::FieldMapping* mapping = (data[0] & 4) ? &kMapping : nullptr;
  haul::scrape::PageContext context{"fuzz", "https://x.test/list?page=1", 1,
                                    "2026-01-01T00:00:00Z", &fetch, mapping};
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  const haul::scrape::PageRecords page = haul::scrape::extract_page(body, context);

  simdjson::dom::parser parser;
  simdjson::dom::element root, records;
  const bool usable = !parser.parse(body.data(), body.size()).get(root) &&
                      !root.at_pointer(fetch.records_pointer).get(records) &&
                      (records.is_array() || records.is_object());
  require(page.error.empty() == usable, "refused <=> not JSON or no records at the pointer");
  if (!usable) return 0;

  std::vector<simdjson::dom::element> in;
  if (records.is_array()) {
    for (auto r : records.get_array()) in.push_back(r);
  } else {
    in.push_back(records);
  }
  require(page.records == in.size(), "one record per source record");

  simdjson::dom::parser out_parser;
  simdjson::dom::array out;
  require(!out_parser.parse(page.file_text).get(out), "the raw file is a JSON array");
  std::size_t i = 0;
  for (auto element : out) {
    require(i < in.size(), "no extra records");
    check_record(in[i], element, i, mapping);
    ++i;
  }
  require(i == in.size(), "no record lost");
  require(records_read_back(page.file_text) == in.size(), "the record reader counts the same");

  simdjson::dom::element total;
  std::int64_t total_value;
  if (!root.at_pointer("/total").get(total) && !total.get(total_value)) {
    require(page.total && *page.total == total_value, "the total is read");
  }
  if (page.max_incremental) {
    bool seen = false;
    for (auto r : in) {
      simdjson::dom::element field;
      std::string_view text;
      if (r.is_object() && !r["updated"].get(field)) {
        seen = seen || field.is_number() || (!field.get(text) && text == *page.max_incremental);
      }
    }
    require(seen, "the bookmark is a record's value");
  }
  return 0;
}
