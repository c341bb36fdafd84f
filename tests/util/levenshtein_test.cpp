#include "util/levenshtein.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "support/reference_levenshtein.hpp"

namespace haul {
namespace {

// Random strings over a small mixed alphabet (ASCII, Latin-1, Greek, CJK,
// emoji), so matches are frequent enough to exercise every path.
std::u32string random_string(std::mt19937& rng, std::size_t length) {
  static const std::u32string kAlphabet = U"abcdeABé ñΣσ中文🚗😀";
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::u32string out;
  for (std::size_t i = 0; i < length; ++i) out += kAlphabet[pick(rng)];
  return out;
}

// A variant of `s` a few random edits away, so distances near the cutoff are common.
std::u32string mutate(std::mt19937& rng, std::u32string s, std::size_t edits) {
  for (std::size_t e = 0; e < edits; ++e) {
    std::uniform_int_distribution<int> kind(0, 2);
    const std::u32string c = random_string(rng, 1);
    std::uniform_int_distribution<std::size_t> at(0, s.size());
    const std::size_t pos = at(rng);
    switch (kind(rng)) {
      case 0:
        s.insert(pos, c);
        break;
      case 1:
        if (pos < s.size()) s.erase(pos, 1);
        break;
      default:
        if (pos < s.size()) s[pos] = c[0];
    }
  }
  return s;
}

TEST(Levenshtein, KnownDistances) {
  EXPECT_EQ(bounded_levenshtein(U"kitten", U"sitting", 10), 3u);
  EXPECT_EQ(bounded_levenshtein(U"", U"", 0), 0u);
  EXPECT_EQ(bounded_levenshtein(U"", U"abc", 5), 3u);
  EXPECT_EQ(bounded_levenshtein(U"Mustang", U"Mustnag", 5), 2u);
  EXPECT_EQ(bounded_levenshtein(U"Citroën", U"Citroen", 5), 1u);  // one code point, not two bytes
  EXPECT_EQ(bounded_levenshtein(U"🚗🚗", U"🚗", 5), 1u);
}

TEST(Levenshtein, ReturnsCutoffPlusOneBeyondTheBound) {
  EXPECT_EQ(bounded_levenshtein(U"kitten", U"sitting", 2), 3u);
  EXPECT_EQ(bounded_levenshtein(U"a", U"abcdefgh", 3), 4u);  // length filter
  EXPECT_EQ(bounded_levenshtein(U"abcdefgh", U"hgfedcba", 0), 1u);
}

TEST(Levenshtein, SimilarityIsOneMinusDistanceOverLongerLength) {
  EXPECT_DOUBLE_EQ(levenshtein_similarity(U"", U""), 1.0);
  EXPECT_DOUBLE_EQ(levenshtein_similarity(U"abcd", U"abce"), 0.75);
  EXPECT_DOUBLE_EQ(levenshtein_similarity(U"abcd", U"abce", 0.75), 0.75);
  EXPECT_DOUBLE_EQ(levenshtein_similarity(U"abcd", U"abce", 0.8), 0.0);
  EXPECT_DOUBLE_EQ(levenshtein_similarity(U"abcd", U"wxyz"), 0.0);
}

// Property: for random Unicode strings of length 0–300 (one word, several
// words, and the boundary at 64) and random cutoffs, the bounded kernel gives
// exactly min(reference distance, cutoff + 1).
TEST(Levenshtein, AgreesWithTheDynamicProgrammeOnRandomUnicodeStrings) {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  std::uniform_int_distribution<std::size_t> edits(0, 40);
  std::size_t checked = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::u32string a = random_string(rng, i % 10 == 0 ? 60 + i % 10 : length(rng));
    const std::u32string b = i % 2 ? mutate(rng, a, edits(rng)) : random_string(rng, length(rng));
    const std::size_t expected = testing::reference_levenshtein(a, b);
    for (std::size_t cutoff : {expected, expected + 1, expected / 2, std::size_t{300}}) {
      const std::size_t got = bounded_levenshtein(a, b, cutoff);
      ASSERT_EQ(got, std::min(expected, cutoff + 1))
          << "case " << i << ": lengths " << a.size() << ", " << b.size() << ", cutoff " << cutoff;
      ++checked;
    }
    if (expected > 0) {
      ASSERT_EQ(bounded_levenshtein(a, b, expected - 1), expected) << "case " << i;
    }
  }
  EXPECT_EQ(checked, 16000u);
}

}  // namespace
}  // namespace haul
