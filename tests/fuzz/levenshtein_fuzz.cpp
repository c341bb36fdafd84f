// Fuzzes the bounded Levenshtein kernel (util/levenshtein) against its
// definition: the textbook Wagner–Fischer table on inputs small enough for it,
// symmetry, the length bounds, zero exactly for equal strings, the triangle
// inequality, the max_distance + 1 cut-off and levenshtein_similarity's
// threshold. Input: byte 0 picks the bound, byte 1 the alphabet, the rest is
// three strings separated by 0xFF. The small alphabets make equal code points
// (the interesting case) common and mix ASCII with the non-ASCII mask path.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "support/reference_levenshtein.hpp"
#include "require.hpp"
#include "util/levenshtein.hpp"
#include "util/utf8.hpp"

namespace {

using haul::fuzz::require;

std::u32string to_code_points(std::string_view bytes, std::uint8_t alphabet) {
  std::u32string out;
  if (alphabet % 3 == 0) {
    haul::utf8::decode(bytes, out);
    return out;
  }
  // Four letters, or four ASCII and four non-ASCII code points.
  for (unsigned char c : bytes) {
    const char32_t base = (alphabet % 3 == 2 && (c & 4)) ? U'\u00e9' : U'a';
    out.push_back(base + (c & 3));
  }
  return out;
}

std::size_t exact(std::u32string_view a, std::u32string_view b) {
  return haul::bounded_levenshtein(a, b, std::max(a.size(), b.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t bound = data[0] % 80;
  const std::uint8_t alphabet = data[1];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  std::u32string parts[3];
  for (auto& part : parts) {
    const std::size_t cut = std::min(rest.find('\xFF'), rest.size());
    part = to_code_points(rest.substr(0, cut), alphabet);
    rest.remove_prefix(std::min(cut + 1, rest.size()));
  }
  const std::u32string& a = parts[0];
  const std::u32string& b = parts[1];
  const std::u32string& c = parts[2];

  const std::size_t d = exact(a, b);
  const std::size_t longer = std::max(a.size(), b.size());
  const std::size_t gap = longer - std::min(a.size(), b.size());
  require(d <= longer, "distance <= longer length");
  require(d >= gap, "distance >= length difference");
  require((d == 0) == (a == b), "distance 0 <=> equal");
  require(exact(b, a) == d, "symmetry");
  if (a.size() * b.size() <= 300 * 300) require(haul::testing::reference_levenshtein(a, b) == d, "Wagner-Fischer");

  const std::size_t bounded = haul::bounded_levenshtein(a, b, bound);
  require(bounded == (d <= bound ? d : bound + 1), "bounded = exact or bound + 1");
  require(haul::bounded_levenshtein(b, a, bound) == bounded, "bounded symmetry");

  require(exact(a, c) <= d + exact(b, c), "triangle inequality");

  const double min_similarity = static_cast<double>(alphabet % 101) / 100.0;
  const double similarity = haul::levenshtein_similarity(a, b, min_similarity);
  if (longer == 0) {
    require(similarity == 1.0, "two empty strings are identical");
  } else {
    const double expected = 1.0 - static_cast<double>(d) / static_cast<double>(longer);
    require(similarity == 0.0 || similarity == expected, "similarity is 1 - d/longer or 0");
    if (expected >= min_similarity + 1e-6) require(similarity == expected, "above threshold kept");
    if (expected < min_similarity - 1e-6) require(similarity == 0.0, "below threshold is 0");
  }
  return 0;
}
