#pragma once
// The hostile-input corpus, generated at test time (nothing big is ever
// committed): vehicle records carrying SQL injection, COPY markers, control
// characters, NUL bytes, broken and overlong UTF-8, lone surrogates, numbers
// out of range, duplicate keys, huge strings and arrays, deep nesting; and
// files with BOMs, CRLF, empty lines, truncated ends and hostile names.
//
// Every record carries a tag (its stockNumber, "h<n>") and says what must
// become of it: stored verbatim (with the exact bytes each text field must
// have in the database) or rejected by a named stage with a code and the
// field the reason must name.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace haul::testing {

struct HostileCase {
  std::string kind;       // what is hostile about it, for the figures
  std::string tag;        // stockNumber, unique
  std::string bytes;      // the record's exact bytes in its file
  std::string file;       // raw file name under raw/D/vehicles/
  std::size_t index = 0;  // position among the file's records
  // Stored: the database column (or "record:<key>" for a field of the record
  // jsonb) and its expected text, byte for byte.
  bool stored = false;
  std::map<std::string, std::string> columns;
  // Rejected: the error code and the field (first path element; "" when the
  // bytes are not JSON and no field can be named).
  std::string code;
  std::string field;
};

struct HostileFile {
  std::string name;     // as it lands in raw/D/vehicles/
  std::string content;  // exact bytes
};

// JSON string literal (with quotes) for any bytes: '"', '\\' and bytes below
// 0x20 escaped, everything else (including invalid UTF-8) copied as is.
std::string json_string(const std::string& bytes);

class HostileCorpus {
 public:
  // `huge_bytes`: the size of the over-limit string (100 MB normally).
  // `array_elements`, `nesting`: the sizes of the long array and deep nest.
  HostileCorpus(std::size_t huge_bytes, std::size_t array_elements, std::size_t nesting);

  const std::vector<HostileCase>& cases() const { return cases_; }
  const std::vector<HostileFile>& files() const { return files_; }
  // Files whose names are not safe: each must be rejected as a whole.
  const std::vector<HostileFile>& unsafe_files() const { return unsafe_files_; }
  // The body an HTTP source "hostile-api" serves: its records are the cases
  // of hostile-api_001.json, under "/items".
  const std::string& page_body() const { return page_body_; }

 private:
  // A vehicle record "h<n>" with `fields` (key → raw JSON value) replacing
  // or extending the defaults; `tail` is appended raw before the '}'.
  std::string car(const std::string& tag, const std::map<std::string, std::string>& fields,
                  const std::string& tail = "") const;
  HostileCase& add(const std::string& file, const std::string& kind, const std::string& bytes);
  HostileCase& stored(const std::string& file, const std::string& kind, const std::string& text);
  HostileCase& rejected(const std::string& file, const std::string& kind, std::string bytes,
                        const std::string& code, const std::string& field);
  std::string next_tag() { return "h" + std::to_string(cases_.size()); }

  std::vector<HostileCase> cases_;
  std::vector<HostileFile> files_;
  std::vector<HostileFile> unsafe_files_;
  std::string page_body_;
};

}  // namespace haul::testing
