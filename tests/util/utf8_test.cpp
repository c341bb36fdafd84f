#include "util/utf8.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

namespace haul::utf8 {
namespace {

// ---------------------------------------------------------------------------
// A reference decoder written from the definition of UTF-8 (RFC 3629 §3,
// Unicode §3.9) rather than from the table the implementation uses: the lead
// byte's high bits give the length, and the value must be in its shortest
// form, not a surrogate, and at most U+10FFFF.

std::size_t expected_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;  // a continuation byte or 0xF8..0xFF: never starts a sequence
}

constexpr char32_t kShortestFormMinimum[] = {0, 0, 0x80, 0x800, 0x10000};

bool acceptable(char32_t code_point, std::size_t length) {
  return code_point >= kShortestFormMinimum[length] && code_point <= 0x10FFFF &&
         !(code_point >= 0xD800 && code_point <= 0xDFFF);
}

// Length of the well-formed sequence at s[pos], or 0.
std::size_t reference_sequence_length(std::string_view s, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  const std::size_t length = expected_length(lead);
  if (length == 0 || pos + length > s.size()) return 0;
  if (length == 1) return 1;
  char32_t code_point = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(s[pos + i]);
    if ((byte & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  return acceptable(code_point, length) ? length : 0;
}

// Length of the maximal subpart at s[pos] (Unicode §3.9 D93b): the longest
// prefix that some continuation would make well-formed, at least one byte.
// A prefix's completions reach a contiguous range of code points, so it is
// viable when that range holds an acceptable value.
std::size_t reference_maximal_subpart(std::string_view s, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  const std::size_t length = expected_length(lead);
  std::size_t best = 1;
  char32_t prefix = lead & (0x7F >> length);
  for (std::size_t k = 2; k <= length && pos + k <= s.size(); ++k) {
    const auto byte = static_cast<unsigned char>(s[pos + k - 1]);
    if ((byte & 0xC0) != 0x80) break;
    prefix = (prefix << 6) | (byte & 0x3F);
    const std::size_t missing_bits = 6 * (length - k);
    const char32_t lowest =
        std::max<char32_t>(prefix << missing_bits, kShortestFormMinimum[length]);
    const char32_t highest =
        std::min<char32_t>((prefix << missing_bits) | ((1u << missing_bits) - 1), 0x10FFFF);
    const bool viable = lowest <= highest && !(lowest >= 0xD800 && highest <= 0xDFFF);
    if (!viable) break;
    best = k;
  }
  return best;
}

struct ReferenceResult {
  std::optional<std::size_t> first_invalid;
  std::string sanitized;
  std::size_t code_points = 0;
};

ReferenceResult reference(std::string_view s) {
  ReferenceResult result;
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (const std::size_t length = reference_sequence_length(s, pos); length > 0) {
      result.sanitized.append(s.substr(pos, length));
      ++result.code_points;
      pos += length;
    } else {
      if (!result.first_invalid) result.first_invalid = pos;
      result.sanitized += "\xEF\xBF\xBD";
      pos += reference_maximal_subpart(s, pos);
    }
  }
  return result;
}

// Random strings rich in the bytes where UTF-8 decoders go wrong: the edges
// of every lead byte's range, lone continuation bytes, truncations, and ASCII
// runs long enough for the word-at-a-time fast path.
std::string random_bytes(std::mt19937& rng) {
  static constexpr unsigned char kInteresting[] = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
      0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF,
  };
  std::uniform_int_distribution<int> length_dist(0, 12);
  std::uniform_int_distribution<int> choice(0, 3);
  std::uniform_int_distribution<std::size_t> run_length(1, 20);
  std::uniform_int_distribution<std::size_t> interesting(0, std::size(kInteresting) - 1);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> continuation(0x80, 0xBF);
  std::string s;
  const int length = length_dist(rng);
  for (int i = 0; i < length; ++i) {
    switch (choice(rng)) {
      case 0:
        s += static_cast<char>(kInteresting[interesting(rng)]);
        break;
      case 1:
        s += static_cast<char>(continuation(rng));
        break;
      case 2:
        s.append(run_length(rng), 'a');
        break;
      default:
        s += static_cast<char>(any_byte(rng));
        break;
    }
  }
  return s;
}

TEST(Utf8Property, AgreesWithReferenceDecoderOnRandomBytes) {
  std::mt19937 rng(20240115);
  int valid_seen = 0;
  for (int iteration = 0; iteration < 200000; ++iteration) {
    const std::string bytes = random_bytes(rng);
    const ReferenceResult expected = reference(bytes);
    ASSERT_EQ(first_invalid_offset(bytes), expected.first_invalid)
        << ::testing::PrintToString(bytes);
    ASSERT_EQ(sanitize(bytes), expected.sanitized) << ::testing::PrintToString(bytes);
    if (!expected.first_invalid) {
      ++valid_seen;
      ASSERT_EQ(count_code_points(bytes), expected.code_points) << ::testing::PrintToString(bytes);
    }
  }
  EXPECT_GT(valid_seen, 1000);  // the generator must exercise both outcomes
}

TEST(Utf8Property, EveryCodePointRoundTrips) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    ASSERT_EQ(first_invalid_offset(s).has_value(), surrogate)
        << std::hex << static_cast<std::uint32_t>(cp);
  }
}

// ---------------------------------------------------------------------------

TEST(Utf8Test, CountsCodePointsNotBytesOrUtf16Units) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("h\u00e9llo"), 5u);
  EXPECT_EQ(count_code_points("\U0001F4A9"), 1u);  // 💩: 4 bytes, 2 UTF-16 units
  EXPECT_EQ(count_code_points("e\u0301"), 2u);     // a combining mark is its own code point
}

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_EQ(first_invalid_offset(""), std::nullopt);
  EXPECT_EQ(first_invalid_offset("plain ASCII that is longer than one word"), std::nullopt);
  EXPECT_EQ(first_invalid_offset("\u00e9\u20ac\U0001F4A9"), std::nullopt);
  EXPECT_EQ(first_invalid_offset("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(first_invalid_offset(std::string("a\0b", 3)), std::nullopt);
}

TEST(Utf8Test, RejectsOverlongForms) {
  EXPECT_EQ(first_invalid_offset("\xC0\xAF"), 0u);  // '/' in two bytes
  EXPECT_EQ(first_invalid_offset("ab\xC1\xBF"), 2u);
  EXPECT_EQ(first_invalid_offset("ab\xE0\x80\xAF"), 2u);    // '/' in three bytes
  EXPECT_EQ(first_invalid_offset("\xF0\x80\x80\xAF"), 0u);  // '/' in four bytes
}

TEST(Utf8Test, RejectsSurrogatesAndValuesAboveTheLastCodePoint) {
  EXPECT_EQ(first_invalid_offset("x\xED\xA0\x80"), 1u);     // U+D800
  EXPECT_EQ(first_invalid_offset("x\xED\xBF\xBF"), 1u);     // U+DFFF
  EXPECT_EQ(first_invalid_offset("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(first_invalid_offset("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(first_invalid_offset("\xFF"), 0u);
}

TEST(Utf8Test, RejectsTruncatedSequencesAndLoneContinuations) {
  EXPECT_EQ(first_invalid_offset("a\xE2\x82"), 1u);
  EXPECT_EQ(first_invalid_offset("a\xF0\x9F\x92"), 1u);
  EXPECT_EQ(first_invalid_offset("\xE2\x82"
                                 "a"),
            0u);
  EXPECT_EQ(first_invalid_offset("abc\x80"), 3u);
}

TEST(Utf8Test, FindsAnInvalidByteAtEveryOffsetOfAnAsciiRun) {
  for (std::size_t offset = 0; offset < 40; ++offset) {
    std::string text(40, 'a');
    text[offset] = '\xFF';
    EXPECT_EQ(first_invalid_offset(text), offset);
  }
}

TEST(Utf8Test, SanitizeReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(sanitize("valid \u00e9"), "valid \u00e9");
  EXPECT_EQ(sanitize("a\xFF"
                     "b"),
            "a\uFFFD"
            "b");
  EXPECT_EQ(sanitize("a\xE2\x82"), "a\uFFFD");                // one truncated sequence
  EXPECT_EQ(sanitize("\xF0\x80\x80"), "\uFFFD\uFFFD\uFFFD");  // no prefix is viable
  EXPECT_EQ(sanitize("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
}

TEST(Utf8Test, NormalizeForMatchingFoldsCompatibilityFormsAndCase) {
  EXPECT_EQ(normalize_for_matching("Stra\u00dfe"), "strasse");
  EXPECT_EQ(normalize_for_matching("\uFF26\uFF4F\uFF4F"), "foo");  // fullwidth
  EXPECT_EQ(normalize_for_matching("\uFB01ne"), "fine");           // the "fi" ligature
  EXPECT_EQ(normalize_for_matching("e\u0301"), "\u00e9");          // composed
  EXPECT_EQ(normalize_for_matching("\u00c9COLE"), "\u00e9cole");
}

TEST(Utf8Test, NormalizeForMatchingCollapsesAndTrimsWhitespace) {
  EXPECT_EQ(normalize_for_matching("  Very\t\tGood \u00a0\u3000 Car\n"), "very good car");
  EXPECT_EQ(normalize_for_matching("a\u2028b\u0085c"), "a b c");
  EXPECT_EQ(normalize_for_matching(" \t\n"), "");
  EXPECT_EQ(normalize_for_matching(""), "");
}

TEST(Utf8Test, NormalizeForMatchingSanitizesInvalidInput) {
  EXPECT_EQ(normalize_for_matching("A\xFF"
                                   "B"),
            "a\uFFFD"
            "b");
}

}  // namespace
}  // namespace haul::utf8

namespace haul::utf8 {
namespace {

TEST(ToLowerJs, FollowsJavaScriptsFullLowerCaseMapping) {
  EXPECT_EQ(to_lower_js("Ford MUSTANG"), "ford mustang");
  EXPECT_EQ(to_lower_js("ÉCLAIR Müller"), "éclair müller");
  EXPECT_EQ(to_lower_js("İSUZU"), "i\xCC\x87suzu");  // U+0130 → i + U+0307
  EXPECT_EQ(to_lower_js("ΟΔΟΣ"), "οδος" /* final sigma */);
  EXPECT_EQ(to_lower_js("ΣΙΓΜΑ"), "σιγμα");
  EXPECT_EQ(to_lower_js("Straße 🚗"), "straße 🚗");
}

TEST(NormalizeForMatching, AsciiFastPathMatchesTheGeneralPath) {
  EXPECT_EQ(normalize_for_matching("  Ford\t MUSTANG  GT "), "ford mustang gt");
  EXPECT_EQ(normalize_for_matching("ＦＯＲＤ  Ｍｕｓｔａｎｇ"), "ford mustang");
  EXPECT_EQ(normalize_for_matching(""), "");
}

TEST(Decode, GivesCodePointsAndReplacesInvalidBytes) {
  std::u32string out = U"stale";
  decode("aé🚗\xFF", out);
  EXPECT_EQ(out, std::u32string(U"aé🚗\uFFFD"));
}

}  // namespace
}  // namespace haul::utf8

#include <utf8proc.h>

namespace haul::utf8 {
namespace {

// The definition: NFKC + case fold of the whole text by utf8proc, then
// Unicode whitespace collapsed. normalize_for_matching() only sends the
// non-ASCII runs to utf8proc; it must agree with this on any input.
std::string reference_normalize(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                             static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                             static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                            UTF8PROC_CASEFOLD | UTF8PROC_STABLE));
  std::string folded(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  std::free(mapped);
  std::u32string code_points;
  decode(folded, code_points);
  std::string out;
  bool pending = false;
  for (char32_t c : code_points) {
    const bool space = (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
                       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
                       c == 0x202F || c == 0x205F || c == 0x3000;
    if (space) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    utf8proc_uint8_t bytes[4];
    out.append(reinterpret_cast<char*>(bytes), utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), bytes));
  }
  return out;
}

TEST(NormalizeForMatching, AgreesWithWholeStringNormalisationOnMixedText) {
  // ASCII letters and spaces, combining marks that compose with the ASCII
  // letter before them, compatibility forms, case pairs, exotic spaces.
  const std::vector<std::string> pieces = {
      "a", "E", " ", "  ", "\t", "Z", "e\xCC\x81" /* e + U+0301 */, "\xCC\x81", "\xCC\x88",
      "Ä", "ß", "ﬁ", "Ｆ", "①", "\xC2\xA0", "\xE3\x80\x80", "Σ", "İ", "ǅ", "한", "\xE1\x84\x92", "1"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), length(0, 12);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (std::size_t n = length(rng); n > 0; --n) text += pieces[pick(rng)];
    ASSERT_EQ(normalize_for_matching(text), reference_normalize(text)) << text;
  }
}

}  // namespace
}  // namespace haul::utf8
