#pragma once
// Appends compact JSON to a caller-owned string. Stages build each output line
// with it, so one buffer is reused for millions of records without allocating.
// The caller is responsible for structure (commas are handled per container);
// strings are escaped per RFC 8259 and must be valid UTF-8 (simdjson has
// already validated everything that comes from a parsed document).

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haul::io {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object();
  // Continues an object whose opening (and `has_members` members) the caller
  // already put in the buffer: fields can be added to a record's text
  // without re-serializing it.
  void resume_object(bool has_members);
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);
  // A key already serialized with append_json_key(): saves escaping the same
  // field names for every record.
  void serialized_key(std::string_view quoted_key_and_colon);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::int64_t number);
  void value(std::uint64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  void value(double number);
  void value(bool flag);
  void null();
  // A value of a parsed document, serialized compactly.
  void value(simdjson::dom::element element);
  // Already-serialized JSON, inserted as one value.
  void raw(std::string_view json);
  // key(name) then value(v): the common case, in one call.
  template <typename T>
  void field(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  std::string& buffer() { return out_; }

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);
  std::string& out_;
  std::uint8_t& needs_comma();
  // One flag per open container: does its next value need a comma? A writer
  // is made per record, so the usual shallow nesting needs no allocation.
  static constexpr std::size_t kInlineDepth = 16;
  std::size_t depth_ = 0;
  std::uint8_t inline_flags_[kInlineDepth] = {};
  std::vector<std::uint8_t> deep_flags_;
  bool after_key_ = false;
};

// Appends `text` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view text);
// Appends `"name":`, the form serialized_key() takes.
void append_json_key(std::string& out, std::string_view name);
// Appends a number as value() writes it (a non-finite double as null), for
// callers that write a fixed set of members straight into a buffer.
void append_json_number(std::string& out, std::int64_t number);
void append_json_number(std::string& out, std::uint64_t number);
void append_json_number(std::string& out, double number);

}  // namespace haul::io
