#include "io/json_writer.hpp"

#include <emmintrin.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace haul::io {
namespace {

// Which bytes need escaping in a JSON string: quote, backslash, controls.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void append_number(std::string& out, auto number) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

// The shortest digits that read back the same, in JavaScript's notation
// (JSON.stringify): plain for 1e-6 <= |x| < 2^63, so 100000 is "100000", not
// the "1e+05" that to_chars' shortest form picks. Exponent form below that
// (as in JavaScript, "1e-07" for its "1e-7") and from 2^63 on, where plain digits
// ("124991241299949910000") make an integer literal too large for the parser
// of the next stage (simdjson refuses integers beyond 64 bits).
void append_number(std::string& out, double number) {
  char buf[64];
  const double magnitude = std::fabs(number);
  const bool plain = magnitude < 9223372036854775808.0 && (magnitude >= 1e-6 || number == 0);
  auto [end, ec] = plain ? std::to_chars(buf, buf + sizeof buf, number, std::chars_format::fixed)
                   : magnitude >= 1
                       ? std::to_chars(buf, buf + sizeof buf, number, std::chars_format::scientific)
                       : std::to_chars(buf, buf + sizeof buf, number);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_element(std::string& out, simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      out.push_back('{');
      bool first = true;
      for (auto field : simdjson::dom::object(element)) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, field.key);
        out.push_back(':');
        append_element(out, field.value);
      }
      out.push_back('}');
      break;
    }
    case element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      for (auto item : simdjson::dom::array(element)) {
        if (!first) out.push_back(',');
        first = false;
        append_element(out, item);
      }
      out.push_back(']');
      break;
    }
    case element_type::STRING:
      append_json_string(out, std::string_view(element));
      break;
    case element_type::INT64:
      append_number(out, int64_t(element));
      break;
    case element_type::UINT64:
      append_number(out, uint64_t(element));
      break;
    case element_type::DOUBLE: {
      double d = double(element);
      append_number(out, d);
      break;
    }
    case element_type::BOOL:
      out.append(bool(element) ? "true" : "false");
      break;
    case element_type::NULL_VALUE:
      out.append("null");
      break;
  }
}

// True when any of the 8 bytes in `word` needs escaping (SWAR: exact as a
// yes/no answer, which is all this fast path for short strings needs).
bool any_needs_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  std::uint64_t quote = word ^ (kOnes * '"');
  std::uint64_t backslash = word ^ (kOnes * '\\');
  std::uint64_t is_quote = (quote - kOnes) & ~quote & kHighs;
  std::uint64_t is_backslash = (backslash - kOnes) & ~backslash & kHighs;
  return (below_space | is_quote | is_backslash) != 0;
}

// Bitmask of the bytes among text[0..16) that need escaping in a JSON string:
// controls (< 0x20), '"' and '\\'. SSE2 is part of x86-64, so always there.
int escape_mask16(const char* text) {
  __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
  __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  // unsigned byte < 0x20  <=>  max(byte, 0x1F) == 0x1F
  __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
  return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control));
}

// The letter of a two-character escape ("\\n" -> 'n'), or 0 for \\u00XX.
char short_escape(unsigned char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    default:
      return 0;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  std::size_t i = 0;
  // Listing text rarely needs escaping: skip 16 clean bytes at a time and
  // jump straight to the next byte that needs it.
  while (i < text.size()) {
    if (i + 16 <= text.size()) {
      int mask = escape_mask16(text.data() + i);
      if (mask == 0) {
        i += 16;
        continue;
      }
      i += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    } else if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (!any_needs_escape(word)) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (!needs_escape(c)) {
      ++i;
      continue;
    }
    out.append(text.data() + run_start, i - run_start);
    run_start = ++i;
    char short_form = short_escape(c);
    if (short_form) {
      char esc[2] = {'\\', short_form};
      out.append(esc, sizeof esc);
    } else {
      char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(esc, sizeof esc);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

std::uint8_t& JsonWriter::needs_comma() {
  return depth_ <= kInlineDepth ? inline_flags_[depth_ - 1] : deep_flags_.back();
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    std::uint8_t& flag = needs_comma();
    if (flag) out_.push_back(',');
    flag = 1;
  }
}

void JsonWriter::open(char bracket) {
  before_value();
  out_.push_back(bracket);
  ++depth_;
  if (depth_ > kInlineDepth) deep_flags_.push_back(0);
  needs_comma() = 0;
}

void JsonWriter::close(char bracket) {
  out_.push_back(bracket);
  if (depth_ > kInlineDepth) deep_flags_.pop_back();
  --depth_;
}

void JsonWriter::begin_object() { open('{'); }

void JsonWriter::resume_object(bool has_members) {
  ++depth_;
  if (depth_ > kInlineDepth) deep_flags_.push_back(0);
  needs_comma() = has_members ? 1 : 0;
}
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(out_, name);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::serialized_key(std::string_view quoted_key_and_colon) {
  before_value();
  out_.append(quoted_key_and_colon);
  after_key_ = true;
}

void append_json_key(std::string& out, std::string_view name) {
  append_json_string(out, name);
  out.push_back(':');
}

void append_json_number(std::string& out, std::int64_t number) { append_number(out, number); }
void append_json_number(std::string& out, std::uint64_t number) { append_number(out, number); }
void append_json_number(std::string& out, double number) {
  // JSON has no NaN or infinity; coercions never produce them, but a caller
  // bug must not write an unparseable file.
  if (!std::isfinite(number)) {
    out.append("null");
    return;
  }
  append_number(out, number);
}

void JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
}

void JsonWriter::value(std::int64_t number) {
  before_value();
  append_number(out_, number);
}

void JsonWriter::value(std::uint64_t number) {
  before_value();
  append_number(out_, number);
}

void JsonWriter::value(double number) {
  before_value();
  append_json_number(out_, number);
}

void JsonWriter::value(bool flag) {
  before_value();
  out_.append(flag ? "true" : "false");
}

void JsonWriter::null() {
  before_value();
  out_.append("null");
}

void JsonWriter::value(simdjson::dom::element element) {
  before_value();
  append_element(out_, element);
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json);
}

}  // namespace haul::io
