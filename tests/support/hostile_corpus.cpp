#include "support/hostile_corpus.hpp"

#include <fmt/format.h>

namespace haul::testing {

std::string json_string(const std::string& bytes) {
  std::string out = "\"";
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

namespace {

constexpr const char* kText = "drop_001.jsonl";
constexpr const char* kLines = "drop_002.jsonl";
constexpr const char* kEmpty = "drop_003.json";
constexpr const char* kHuge = "drop_004.json";
constexpr const char* kArray = "drop_005.json";
constexpr const char* kScraped = "hostile-api_001.json";

// Strings every text field must store byte for byte. Wrapped in "x" by the
// caller so that trimming (a declared coercion) leaves them alone.
const std::vector<std::pair<std::string, std::string>>& hostile_strings() {
  static const std::vector<std::pair<std::string, std::string>> strings = {
      {"sql_injection", "'); DROP TABLE vehicles;--"},
      {"sql_injection", "Robert'); DELETE FROM vehicles; SELECT ('1"},
      {"sql_injection", "' OR '1'='1' UNION SELECT usename, passwd FROM pg_shadow --"},
      {"dollar_quote", "$$; DROP TABLE vehicles; $$ $q$ x $q$ $1 $2"},
      {"backslash_copy", R"(\ \\ \' \" E'\\x00' \x00 \N \. \r \t \\. end)"},
      {"copy_delimiters", "a\tb\nc\r\nd\\.\ne"},
      {"control_chars",
       std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
                   "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f")},
      {"format_strings", "%s%n%x%p {} {0} {:>99999} ${HOME} $(touch pwned) `id`"},
      {"path_traversal", "../../etc/passwd ..\\..\\windows\\system32 /etc/shadow"},
      {"unicode_edges",
       "\u202Eevil\u202C \u200D \xEF\xBB\xBF \xEF\xBF\xBF \xF4\x8F\xBF\xBF "
       "\xF0\x9F\x9A\x97 \xC3\xA9"},
      {"html_script", "<script>alert(1)</script><img src=x onerror=alert(1)>"},
  };
  return strings;
}

}  // namespace

HostileCorpus::HostileCorpus(std::size_t huge_bytes, std::size_t array_elements,
                             std::size_t nesting) {
  // 1. Hostile text in every text field, one record per string, dropped as a
  // file and served by an HTTP source.
  for (const auto& [kind, text] : hostile_strings()) stored(kText, kind, text);
  std::string page;
  for (const auto& [kind, text] : hostile_strings()) {
    page += (page.empty() ? "" : ",\n") + stored(kScraped, kind, text).bytes;
  }
  page_body_ = "{\"items\":[\n" + page + "\n]}\n";

  // 2. What no stage may store: each rejected by haul-validate, naming the field.
  auto tag = next_tag();
  rejected(kText, "nul_escaped", car(tag, {{"description", R"("before\u0000after")"}}),
           "nul_character", "description");
  tag = next_tag();
  rejected(kText, "nul_raw_byte", car(tag, {{"model", std::string("\"Mus\0tang\"", 10)}}),
           "invalid_json", "model");
  tag = next_tag();
  rejected(kText, "overlong_utf8", car(tag, {{"make", "\"Fo\xC0\xAFrd\""}}), "invalid_utf8",
           "make");
  tag = next_tag();
  rejected(kText, "invalid_utf8", car(tag, {{"locationCity", "\"Tor\xFF\xFEonto\""}}),
           "invalid_utf8", "locationCity");
  tag = next_tag();
  rejected(kText, "encoded_surrogate", car(tag, {{"model", "\"GT\xED\xA0\x80\""}}), "invalid_utf8",
           "model");
  tag = next_tag();
  rejected(kText, "lone_surrogate_escape", car(tag, {{"model", R"("GT\ud800")"}}), "invalid_json",
           "model");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"price", "1e400"}}), "invalid_json", "price");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"price", "-0"}}), "price_out_of_range",
           "price");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"year", "18446744073709551616"}}),
           "invalid_json", "year");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"mileage", "99999999999999999999"}}),
           "invalid_json", "mileage");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"year", "18446744073709551615"}}),
           "year_out_of_window", "year");
  tag = next_tag();
  rejected(kText, "number_out_of_range", car(tag, {{"mileage", "-9223372036854775808"}}),
           "too_small", "mileage");
  tag = next_tag();
  rejected(kText, "duplicate_key", car(tag, {}, R"(,"make":"'); DROP TABLE vehicles;--")"),
           "duplicate_key", "make");
  tag = next_tag();
  rejected(kText, "deep_nesting",
           car(tag, {{"nest", std::string(nesting, '[') + std::string(nesting, ']')}}), "too_deep",
           "nest");
  tag = next_tag();
  rejected(kText, "not_an_object", R"([")" + tag + R"(", "'); DROP TABLE vehicles;--"])",
           "not_an_object", "");

  // 3. Big but legal: a 10^6-element array in an extra field, stored whole.
  tag = next_tag();
  {
    std::string array = "[";
    for (std::size_t i = 0; i < array_elements; ++i) array += i ? ",0" : "0";
    array += "]";
    HostileCase& big = add(kText, "million_element_array", car(tag, {{"tags", array}}));
    big.stored = true;
    big.columns["count:tags"] = std::to_string(array_elements);
  }
  // A record claiming provenance it does not have: stored, with its real _meta.
  tag = next_tag();
  {
    HostileCase& forged = add(
        kText, "forged_meta",
        car(tag, {{"_meta",
                   R"({"raw_file":"../../../etc/passwd","source":"../../etc","raw_index":-1})"}}));
    forged.stored = true;
    forged.columns["record:_meta/raw_file"] = std::string("raw/2026-11-23/vehicles/") + kText;
  }

  // 4. File shapes: BOM, CRLF, empty lines, a truncated last line.
  std::string lines = "\xEF\xBB\xBF";
  {
    tag = next_tag();
    HostileCase& first = add(kLines, "bom_crlf", car(tag, {{"model", R"("After BOM")"}}));
    first.stored = true;
    first.columns["model"] = "After BOM";
    tag = next_tag();
    HostileCase& second = add(kLines, "crlf_empty_lines", car(tag, {{"model", R"("After CRLF")"}}));
    second.stored = true;
    second.columns["model"] = "After CRLF";
    tag = next_tag();
    std::string cut = car(tag, {{"model", R"("Truncated")"}});
    rejected(kLines, "truncated_last_line", cut.substr(0, cut.size() / 2), "invalid_json", "");
  }
  for (const HostileCase& c : cases_) {
    if (c.file != kLines) continue;
    lines += c.bytes;
    lines += c.index + 1 < 3 ? "\r\n\r\n\n" : "";  // no newline after the truncated one
  }

  // 5. An over-limit string (100 MB): rejected as too large, never buffered whole.
  tag = next_tag();
  rejected(kHuge, "huge_string", car(tag, {{"notes", "\"" + std::string(huge_bytes, 'A') + "\""}}),
           "record_too_large", "");

  // 6. An array file whose last record is a string, then a bare number.
  tag = next_tag();
  rejected(kArray, "not_an_object", json_string(tag), "not_an_object", "");
  tag = next_tag();
  rejected(kArray, "number_out_of_range", "1e999999", "invalid_json", "");

  std::string text, array = "[", huge;
  for (const HostileCase& c : cases_) {
    if (c.file == kText) text += c.bytes + "\n";
    if (c.file == kArray) array += (c.index ? ",\n" : "\n") + c.bytes;
    if (c.file == kHuge) huge = "[" + c.bytes + "]\n";
  }
  files_ = {{kText, text}, {kLines, lines}, {kEmpty, ""}, {kHuge, huge}, {kArray, array + "\n]\n"}};

  // 7. Files named what no file of the pipeline may be named. (Not starting
  // with '.': dotfiles are not input at all, by design — partial downloads.)
  const std::string one = "[" + car("unsafe", {}) + "]\n";
  for (const std::string& name :
       {std::string("has space_001.json"), std::string("x..\\..\\evil_001.json"),
        std::string("$(touch pwned)_001.json"), std::string("new\nline_001.json"),
        std::string("bad\xFF"
                    "byte_001.json"),
        std::string(200, 'L') + "_001.json"}) {
    unsafe_files_.push_back({name, one});
  }
}

std::string HostileCorpus::car(const std::string& tag,
                               const std::map<std::string, std::string>& fields,
                               const std::string& tail) const {
  const std::size_t n = cases_.size();
  std::vector<std::pair<std::string, std::string>> record = {
      {"make", "\"Ford\""},
      {"model", "\"Mustang\""},
      {"year", std::to_string(1990 + n % 30)},
      {"price", std::to_string(10000 + 1000 * n)},
      {"sourceName", "\"Hostile\""},
      {"sourceUrl", "\"https://example.com/cars/" + tag + "\""},
      {"stockNumber", "\"" + tag + "\""},
  };
  for (const auto& [key, value] : fields) {
    bool replaced = false;
    for (auto& [k, v] : record) {
      if (k == key) {
        v = value;
        replaced = true;
      }
    }
    if (!replaced) record.emplace_back(key, value);
  }
  std::string out = "{";
  for (const auto& [key, value] : record) {
    if (out.size() > 1) out += ",";
    out += "\"" + key + "\":" + value;
  }
  return out + tail + "}";
}

HostileCase& HostileCorpus::add(const std::string& file, const std::string& kind,
                                const std::string& bytes) {
  std::size_t index = 0;
  for (const HostileCase& c : cases_) index += c.file == file;
  HostileCase c;
  c.kind = kind;
  c.tag = next_tag();
  c.bytes = bytes;
  c.file = file;
  c.index = index;
  cases_.push_back(std::move(c));
  return cases_.back();
}

HostileCase& HostileCorpus::stored(const std::string& file, const std::string& kind,
                                   const std::string& text) {
  const std::string tag = next_tag();
  const std::string wrapped = json_string("x" + text + "x");
  HostileCase& c = add(file, kind,
                       car(tag, {{"make", wrapped},
                                 {"model", wrapped},
                                 {"description", wrapped},
                                 {"locationCity", wrapped},
                                 {"sourceName", wrapped},
                                 {"notes", json_string(text)}}));
  c.stored = true;
  for (const char* column : {"make", "model", "description", "location_city", "source_name"}) {
    c.columns[column] = "x" + text + "x";
  }
  c.columns["record:notes"] = text;
  return c;
}

HostileCase& HostileCorpus::rejected(const std::string& file, const std::string& kind,
                                     std::string bytes, const std::string& code,
                                     const std::string& field) {
  HostileCase& c = add(file, kind, std::move(bytes));
  c.code = code;
  c.field = field;
  return c;
}

}  // namespace haul::testing
