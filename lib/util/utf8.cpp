#include "util/utf8.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace haul::utf8 {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

struct Sequence {
  std::size_t length;  // of the well-formed sequence, or of the ill-formed maximal subpart
  bool valid;
  char32_t code_point;
};

// Decodes the sequence starting at text[pos] (pos < text.size()) following
// the Unicode Standard's table of well-formed byte sequences (Table 3-7),
// which rules out overlong forms, surrogates and values above U+10FFFF by the
// allowed range of the second byte. An ill-formed sequence's length is that of
// its "maximal subpart" (Unicode §3.9), the unit one U+FFFD replaces.
Sequence decode(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {1, true, lead};

  std::size_t continuation_bytes;
  char32_t code_point;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation_bytes = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuation_bytes = 2;
    code_point = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;  // below: overlong
    if (lead == 0xED) second_max = 0x9F;  // above: surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuation_bytes = 3;
    code_point = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;  // below: overlong
    if (lead == 0xF4) second_max = 0x8F;  // above: beyond U+10FFFF
  } else {
    return {1, false, 0};  // a continuation byte, or a lead byte that is never valid
  }

  unsigned char min = second_min;
  unsigned char max = second_max;
  for (std::size_t i = 1; i <= continuation_bytes; ++i) {
    if (pos + i >= text.size()) return {i, false, 0};
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if (byte < min || byte > max) return {i, false, 0};
    code_point = (code_point << 6) | (byte & 0x3F);
    min = 0x80;
    max = 0xBF;
  }
  return {continuation_bytes + 1, true, code_point};
}

// Length of the ASCII run at text[pos], checked eight bytes at a time: most
// text haul sees is ASCII, and this keeps validation near memory speed.
std::size_t ascii_run(std::string_view text, std::size_t pos) {
  const std::size_t start = pos;
  while (pos + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + pos, sizeof word);
    if (word & 0x8080808080808080ULL) break;
    pos += 8;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
  return pos - start;
}

// The White_Space property of Unicode (PropList.txt).
bool is_white_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

}  // namespace

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return count;
}

std::optional<std::size_t> first_invalid_offset(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    pos += ascii_run(bytes, pos);
    if (pos == bytes.size()) break;
    const Sequence sequence = decode(bytes, pos);
    if (!sequence.valid) return pos;
    pos += sequence.length;
  }
  return std::nullopt;
}

std::string sanitize(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const Sequence sequence = decode(bytes, pos);
    if (sequence.valid) {
      out.append(bytes.data() + pos, sequence.length);
    } else {
      out += kReplacementCharacter;
    }
    pos += sequence.length;
  }
  return out;
}

namespace {

// All-ASCII text: lower-case and collapse spacing in one pass.
std::string normalize_ascii(std::string_view text) {
  std::string out(text.size(), '\0');
  char* write = out.data();
  char* const begin = write;
  bool space_pending = false;
  for (const char c : text) {
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
      space_pending = write != begin;
      continue;
    }
    if (space_pending) *write++ = ' ';
    space_pending = false;
    *write++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  out.resize(static_cast<std::size_t>(write - begin));
  return out;
}

void append_ascii_lower(std::string& out, std::string_view ascii) {
  for (const char c : ascii) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// NFKC and case folding of valid UTF-8 `segment`, appended to `out`.
void append_folded(std::string& out, std::string_view segment) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t mapped_length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(segment.data()),
                   static_cast<utf8proc_ssize_t>(segment.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                  UTF8PROC_CASEFOLD | UTF8PROC_STABLE));
  // The input is valid UTF-8 and the options are fixed, so the only possible
  // failures are out of memory and a length overflow.
  if (mapped_length < 0) throw std::bad_alloc();
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  out.append(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(mapped_length));
}

}  // namespace

std::string normalize_for_matching(std::string_view text) {
  if (ascii_run(text, 0) == text.size()) return normalize_ascii(text);
  std::string sanitized;
  if (first_invalid_offset(text)) {
    sanitized = sanitize(text);
    text = sanitized;
  }
  // ASCII is its own NFKC form and folds by tolower, so only the non-ASCII
  // runs go through utf8proc, each with the ASCII character before it: the
  // starter its combining marks may compose with ("e" + U+0301 -> "é").
  // Listing text is mostly ASCII; this keeps normalisation near copy speed.
  std::string folded;
  folded.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t ascii_end = pos + ascii_run(text, pos);
    if (ascii_end == text.size()) {
      append_ascii_lower(folded, text.substr(pos));
      break;
    }
    const std::size_t segment_begin = ascii_end > pos ? ascii_end - 1 : pos;
    append_ascii_lower(folded, text.substr(pos, segment_begin - pos));
    std::size_t segment_end = ascii_end;
    while (segment_end < text.size() && static_cast<unsigned char>(text[segment_end]) >= 0x80) {
      ++segment_end;
    }
    append_folded(folded, text.substr(segment_begin, segment_end - segment_begin));
    pos = segment_end;
  }

  std::string out;
  out.reserve(folded.size());
  bool space_pending = false;
  pos = 0;
  while (pos < folded.size()) {
    const auto byte = static_cast<unsigned char>(folded[pos]);
    const Sequence sequence =
        byte < 0x80 ? Sequence{1, true, static_cast<char32_t>(byte)} : decode(folded, pos);
    if (sequence.valid && is_white_space(sequence.code_point)) {
      space_pending = !out.empty();
    } else {
      if (space_pending) out += ' ';
      space_pending = false;
      out.append(folded.data() + pos, sequence.length);
    }
    pos += sequence.length;
  }
  return out;
}

namespace {

void append_utf8(std::string& out, char32_t c) {
  utf8proc_uint8_t bytes[4];
  const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), bytes);
  out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

bool is_cased_letter(char32_t c) {
  return utf8proc_tolower(static_cast<utf8proc_int32_t>(c)) != static_cast<utf8proc_int32_t>(c) ||
         utf8proc_toupper(static_cast<utf8proc_int32_t>(c)) != static_cast<utf8proc_int32_t>(c);
}

}  // namespace

void decode(std::string_view text, std::u32string& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(byte);
      ++pos;
      continue;
    }
    const Sequence sequence = decode(text, pos);
    out.push_back(sequence.valid ? sequence.code_point : 0xFFFD);
    pos += sequence.length;
  }
}

std::string to_lower_js(std::string_view text) {
  std::u32string code_points;
  decode(text, code_points);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    const char32_t c = code_points[i];
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
    } else if (c == 0x130) {  // SpecialCasing.txt: İ lower-cases to i + combining dot
      out += "i\xCC\x87";
    } else if (c == 0x3A3) {  // Final_Sigma: after a cased letter, not before one
      const bool after_letter = i > 0 && is_cased_letter(code_points[i - 1]);
      const bool before_letter = i + 1 < code_points.size() && is_cased_letter(code_points[i + 1]);
      append_utf8(out, after_letter && !before_letter ? 0x3C2 : 0x3C3);
    } else {
      append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
    }
  }
  return out;
}

}  // namespace haul::utf8
