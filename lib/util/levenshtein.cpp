#include "util/levenshtein.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace haul {
namespace {

// Pattern-match vectors: for each code point of the pattern, the bit mask of
// the positions where it occurs, per 64-bit word. ASCII is a direct table;
// other code points (rarer in listings) a short list searched linearly. The
// tables live per thread and only the entries a pattern set are cleared
// afterwards: zeroing a fresh 1 KiB table per call cost as much as the
// distance itself on 40-character titles.
class PatternMasks {
 public:
  PatternMasks(std::u32string_view pattern, std::size_t words)
      : pattern_(pattern), words_(words), ascii_(storage().ascii) {
    if (ascii_.size() < 128 * words) ascii_.resize(128 * words, 0);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      mask_for(pattern[i])[i / 64] |= bit;
    }
  }
  ~PatternMasks() {
    for (const char32_t c : pattern_) {
      if (c < 128) std::fill_n(&ascii_[c * words_], words_, 0);
    }
  }
  PatternMasks(const PatternMasks&) = delete;
  PatternMasks& operator=(const PatternMasks&) = delete;

  // The masks of `c`, or nullptr when the pattern does not contain it.
  const std::uint64_t* find(char32_t c) const {
    if (c < 128) return &ascii_[c * words_];
    for (std::size_t i = 0; i < other_chars_.size(); ++i) {
      if (other_chars_[i] == c) return &other_masks_[i * words_];
    }
    return nullptr;
  }

 private:
  struct Storage {
    std::vector<std::uint64_t> ascii;
  };
  static Storage& storage() {
    thread_local Storage tables;
    return tables;
  }

  std::uint64_t* mask_for(char32_t c) {
    if (c < 128) return &ascii_[c * words_];
    for (std::size_t i = 0; i < other_chars_.size(); ++i) {
      if (other_chars_[i] == c) return &other_masks_[i * words_];
    }
    other_chars_.push_back(c);
    other_masks_.resize(other_masks_.size() + words_, 0);
    return &other_masks_[other_masks_.size() - words_];
  }

  std::u32string_view pattern_;
  std::size_t words_;
  std::vector<std::uint64_t>& ascii_;  // 128 entries of `words_` words, all zero between uses
  std::vector<char32_t> other_chars_;
  std::vector<std::uint64_t> other_masks_;
};

// One pattern of at most 64 code points: a single word per column. Its masks
// live on the stack (non-ASCII) and in a per-thread ASCII table cleared
// entry by entry, so a call allocates nothing.
std::size_t single_word(std::u32string_view pattern, std::u32string_view text,
                        std::size_t max_distance) {
  thread_local std::array<std::uint64_t, 128> ascii{};
  std::array<char32_t, 64> other_chars;
  std::array<std::uint64_t, 64> other_masks;
  std::size_t others = 0;
  auto other_index = [&](char32_t c) {
    for (std::size_t i = 0; i < others; ++i) {
      if (other_chars[i] == c) return i;
    }
    return others;
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char32_t c = pattern[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c < 128) {
      ascii[c] |= bit;
      continue;
    }
    const std::size_t at = other_index(c);
    if (at == others) {
      other_chars[others] = c;
      other_masks[others++] = 0;
    }
    other_masks[at] |= bit;
  }

  const std::size_t m = pattern.size();
  const std::size_t n = text.size();
  const std::uint64_t last = std::uint64_t{1} << (m - 1);
  std::uint64_t vp = ~std::uint64_t{0};
  std::uint64_t vn = 0;
  std::size_t score = m;
  std::size_t result = max_distance + 1;
  std::size_t j = 0;
  for (; j < n; ++j) {
    const char32_t c = text[j];
    std::uint64_t eq = 0;
    if (c < 128) {
      eq = ascii[c];
    } else if (const std::size_t at = other_index(c); at < others) {
      eq = other_masks[at];
    }
    const std::uint64_t x = eq | vn;
    const std::uint64_t d0 = (((x & vp) + vp) ^ vp) | x;
    const std::uint64_t hp = vn | ~(d0 | vp);
    const std::uint64_t hn = vp & d0;
    if (hp & last) ++score;
    if (hn & last) --score;
    // Each remaining column lowers the last row by at most one.
    if (score > max_distance + (n - j - 1)) break;
    const std::uint64_t shifted = (hp << 1) | 1;
    vn = shifted & d0;
    vp = (hn << 1) | ~(shifted | d0);
  }
  if (j == n && score <= max_distance) result = score;
  for (const char32_t c : pattern) {
    if (c < 128) ascii[c] = 0;
  }
  return result;
}

// Longer patterns: Myers' blocks of 64 rows, the horizontal delta of each
// block's bottom row carried into the next block's top.
std::size_t multi_word(std::u32string_view pattern, std::u32string_view text,
                       std::size_t max_distance) {
  const std::size_t m = pattern.size();
  const std::size_t n = text.size();
  const std::size_t words = (m + 63) / 64;
  PatternMasks masks(pattern, words);
  std::vector<std::uint64_t> vp(words, ~std::uint64_t{0});
  std::vector<std::uint64_t> vn(words, 0);
  const std::uint64_t last = std::uint64_t{1} << ((m - 1) % 64);
  constexpr std::uint64_t kHigh = std::uint64_t{1} << 63;
  std::size_t score = m;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t* found = masks.find(text[j]);
    int carry = 1;  // row 0 of the table grows by one per column
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t eq = found ? found[w] : 0;
      const std::uint64_t pv = vp[w];
      const std::uint64_t mv = vn[w];
      const std::uint64_t xv = eq | mv;
      if (carry < 0) eq |= 1;
      const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
      std::uint64_t ph = mv | ~(xh | pv);
      std::uint64_t mh = pv & xh;
      const std::uint64_t out_bit = (w + 1 == words) ? last : kHigh;
      const int out = (ph & out_bit) ? 1 : (mh & out_bit) ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (carry < 0) {
        mh |= 1;
      } else if (carry > 0) {
        ph |= 1;
      }
      vp[w] = mh | ~(xv | ph);
      vn[w] = ph & xv;
      carry = out;
    }
    score = static_cast<std::size_t>(static_cast<long long>(score) + carry);
    if (score > max_distance + (n - j - 1)) return max_distance + 1;
  }
  return score <= max_distance ? score : max_distance + 1;
}

}  // namespace

std::size_t bounded_levenshtein(std::u32string_view a, std::u32string_view b,
                                std::size_t max_distance) {
  // The distance is at least the difference in length.
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > max_distance) return max_distance + 1;
  // A common prefix and suffix never change the distance.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (a.size() > b.size()) std::swap(a, b);  // the pattern is the shorter one
  if (a.empty()) return b.size() <= max_distance ? b.size() : max_distance + 1;
  return a.size() <= 64 ? single_word(a, b, max_distance) : multi_word(a, b, max_distance);
}

double levenshtein_similarity(std::u32string_view a, std::u32string_view b,
                              double min_similarity) {
  const std::size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 1.0;
  // similarity >= min  <=>  distance <= (1 - min) * longer
  const double allowed = (1.0 - std::clamp(min_similarity, 0.0, 1.0)) * static_cast<double>(longer);
  const auto max_distance = static_cast<std::size_t>(std::floor(allowed + 1e-9));
  const std::size_t distance = bounded_levenshtein(a, b, max_distance);
  if (distance > max_distance) return 0.0;
  return 1.0 - static_cast<double>(distance) / static_cast<double>(longer);
}

}  // namespace haul
