// Fuzzes the record reader (io/record_reader) and the UTF-8 checks the stages
// run on what it hands out (util/utf8). The input's first two bytes choose the
// block size and the record limit; the rest is the file. Properties:
// - block splitting is invisible: reading with a tiny block gives exactly the
//   records, positions and error that reading the whole file at once gives;
// - every record is the file's bytes at its offset (only its start when over
//   the limit), its line is the count of newlines before it, offsets ascend;
// - conservation: NDJSON never fails and yields one record per non-blank
//   line; a file that is a valid JSON array yields exactly its elements, and
//   an array read without error whose records are each valid JSON is itself
//   valid JSON;
// - first_invalid_offset agrees with simdjson's UTF-8 validator, sanitize
//   yields valid UTF-8 and is the identity on valid text, and decode yields
//   as many code points as the sanitized text has.
// The file lives in a memfd, reopened through /proc/self/fd like any path.

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "require.hpp"
#include "io/record_reader.hpp"
#include "util/utf8.hpp"

namespace {

using haul::fuzz::require;

constexpr std::size_t kMaxInput = 64 * 1024;

using haul::io::FileFormat;
using haul::io::RawRecord;
using haul::io::RecordReader;

struct Record {
  std::string bytes;
  std::uint64_t index, offset, line, size;
  bool too_large;
  bool operator==(const Record&) const = default;
};

struct Reading {
  FileFormat format = FileFormat::kEmpty;
  std::vector<Record> records;
  std::optional<std::string> error_code;
  std::uint64_t error_offset = 0;
  bool operator==(const Reading&) const = default;
};

Reading read_all(const std::string& path, std::size_t block, std::size_t limit) {
  std::unique_ptr<RecordReader> reader;
  require(RecordReader::open(path, {limit, block}, reader).is_ok(), "the memfd opens");
  Reading out;
  RawRecord raw;
  while (reader->next(raw)) {
    // How much of an oversized record's start is kept depends on where the
    // block ended when it went over the limit (always the full 4 KiB once the
    // limit exceeds that); compare the part every block size keeps.
    const std::string_view kept =
        raw.too_large ? raw.bytes.substr(0, std::min<std::size_t>(limit + 1, 4096)) : raw.bytes;
    require(!raw.too_large || kept.size() == std::min<std::uint64_t>(raw.size, std::min<std::size_t>(limit + 1, 4096)),
            "a large record keeps at least its first limit + 1 bytes");
    out.records.push_back({std::string(kept), raw.index, raw.offset, raw.line, raw.size,
                           raw.too_large});
  }
  require(!reader->next(raw), "next() stays false");
  out.format = reader->format();
  if (const auto& error = reader->file_error()) {
    require(!error->message.empty(), "a file error says why");
    out.error_code = error->code;
    out.error_offset = error->offset;
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t non_blank_lines(std::string_view text) {
  std::size_t count = 0;
  while (!text.empty()) {
    const std::size_t nl = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, nl);
    for (char c : line) {
      if (!is_space(c)) {
        ++count;
        break;
      }
    }
    text.remove_prefix(std::min(nl + 1, text.size()));
  }
  return count;
}

std::string minified(simdjson::dom::element element) { return simdjson::to_string(element); }

// Parses `text` as one JSON document; nullopt when it is not JSON.
std::optional<std::string> parse(simdjson::dom::parser& parser, std::string_view text,
                                 simdjson::dom::element& out) {
  if (parser.parse(text.data(), text.size()).get(out)) return std::nullopt;
  return minified(out);
}

void check_utf8(std::string_view bytes) {
  const auto invalid = haul::utf8::first_invalid_offset(bytes);
  require(invalid.has_value() != simdjson::validate_utf8(bytes.data(), bytes.size()),
          "first_invalid_offset agrees with simdjson");
  if (invalid) {
    require(*invalid < bytes.size(), "the invalid offset is inside the text");
    require(!haul::utf8::first_invalid_offset(bytes.substr(0, *invalid)),
            "the text before the first invalid byte is valid");
  }
  const std::string clean = haul::utf8::sanitize(bytes);
  require(!haul::utf8::first_invalid_offset(clean), "sanitize yields valid UTF-8");
  if (!invalid) require(clean == bytes, "sanitize keeps valid text");
  std::u32string points;
  haul::utf8::decode(bytes, points);
  require(points.size() == haul::utf8::count_code_points(clean), "decode counts code points");
}

void check_reading(const Reading& reading, std::string_view file, std::size_t limit) {
  std::uint64_t next_offset = 0;
  std::size_t counted = 0, newlines = 0;
  for (std::size_t i = 0; i < reading.records.size(); ++i) {
    const Record& r = reading.records[i];
    require(r.index == i, "records are numbered in order");
    require(r.offset >= next_offset && r.offset + r.size <= file.size(), "offsets ascend");
    next_offset = r.offset + r.size;
    require(r.size > 0, "no empty record");
    for (; counted < r.offset; ++counted) newlines += file[counted] == '\n';
    require(r.line == newlines + 1, "line = newlines before + 1");
    require(r.too_large == (r.size > limit), "too_large <=> over the limit");
    const std::string_view at = file.substr(r.offset, r.size);
    if (r.too_large) {
      require(at.substr(0, r.bytes.size()) == r.bytes && !r.bytes.empty(),
              "a large record keeps its start");
    } else {
      require(r.bytes == at, "a record is the file's bytes");
    }
    if (reading.format == FileFormat::kNdjson) {
      require(at.find('\n') == std::string_view::npos, "an NDJSON record is one line");
    }
    check_utf8(r.bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > kMaxInput) return 0;
  // At least 4: a UTF-8 BOM is only recognised whole in the first block.
  const std::size_t block = 4 + data[0] % 64;
  const std::size_t limit = data[1] < 128 ? 1 + data[1] % 64 : std::size_t{64} << 20;
  const std::string_view file(reinterpret_cast<const char*>(data + 2), size - 2);

  const int fd = ::memfd_create("record_reader_fuzz", MFD_CLOEXEC);
  require(fd >= 0, "memfd_create");
  require(::write(fd, file.data(), file.size()) == static_cast<ssize_t>(file.size()), "write");
  const std::string path = "/proc/self/fd/" + std::to_string(fd);

  const Reading small = read_all(path, block, limit);
  const Reading whole = read_all(path, file.size() + 1, limit);
  ::close(fd);
  if (!(small == whole)) {
    for (const Reading* r : {&small, &whole}) {
      std::fprintf(stderr, "reading: format %d, error %s at %llu\n", static_cast<int>(r->format),
                   r->error_code.value_or("-").c_str(),
                   static_cast<unsigned long long>(r->error_offset));
      for (const Record& x : r->records) {
        std::fprintf(stderr, "  #%llu offset %llu line %llu size %llu large %d bytes %zu\n",
                     static_cast<unsigned long long>(x.index),
                     static_cast<unsigned long long>(x.offset),
                     static_cast<unsigned long long>(x.line),
                     static_cast<unsigned long long>(x.size), x.too_large, x.bytes.size());
      }
    }
  }
  require(small == whole, "block size does not change what is read");
  check_reading(whole, file, limit);

  std::string_view body = file;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  if (whole.format == FileFormat::kNdjson) {
    require(!whole.error_code, "NDJSON has no file errors");
    require(whole.records.size() == non_blank_lines(body), "one record per non-blank line");
  }
  if (whole.format == FileFormat::kEmpty) {
    require(whole.records.empty(), "an empty file has no records");
  }
  if (whole.format == FileFormat::kEmpty && !whole.error_code) {
    for (char c : body) require(is_space(c), "an empty file is blank");
  }

  // Deep enough for any input up to the size cap, allocated once.
  static simdjson::dom::parser parser(kMaxInput);
  static simdjson::dom::parser record_parser(kMaxInput);
  static const bool allocated = !parser.allocate(kMaxInput, kMaxInput) &&
                                !record_parser.allocate(kMaxInput, kMaxInput);
  require(allocated, "parser allocation");
  simdjson::dom::element document;
  const bool is_array = parse(parser, body, document).has_value() && document.is_array();
  bool any_large = false;
  for (const Record& r : whole.records) any_large |= r.too_large;
  if (is_array) {
    require(whole.format == FileFormat::kArray && !whole.error_code, "a JSON array reads cleanly");
    std::vector<std::string> elements;
    for (auto element : document.get_array()) elements.push_back(minified(element));
    require(elements.size() == whole.records.size(), "one record per array element");
  }
  if (is_array && !any_large) {
    std::vector<std::string> elements;
    for (auto element : document.get_array()) elements.push_back(minified(element));
    for (std::size_t i = 0; i < elements.size(); ++i) {
      simdjson::dom::element element;
      auto text = parse(record_parser, whole.records[i].bytes, element);
      require(text && *text == elements[i], "each record is its array element");
    }
  }
  if (whole.format == FileFormat::kArray && !whole.error_code && !any_large) {
    bool all_json = true;
    for (const Record& r : whole.records) {
      simdjson::dom::element element;
      all_json = all_json && parse(record_parser, r.bytes, element).has_value();
    }
    if (all_json) require(is_array, "records of a clean array, each JSON, make a JSON array");
  }
  return 0;
}
