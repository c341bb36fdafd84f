// bench_levenshtein_pairs PAIRS.tsv [MIN_SECONDS]
//
// Times haul's Levenshtein kernel on the title pairs of PAIRS.tsv (one pair
// per line, "a<TAB>b", written by bench_gen_title_pairs) and prints one JSON
// object. Strings are decoded to code points before the clock starts, so the
// figures are the kernel's alone, as python-Levenshtein's are in
// levenshtein_py.py on the same file.
//
//   unbounded  bounded_levenshtein(a, b, max(|a|, |b|)): the exact distance,
//              as python-Levenshtein computes it; distance_sum and checksum
//              (sum of (line number * distance) mod 2^64) let the caller
//              check that both computed the same distances.
//   cutoff     levenshtein_similarity(a, b, 0.8): what near-duplicate scoring
//              asks (is the similarity at least 0.8?), with the early exits.
// Each is repeated over all pairs until MIN_SECONDS (default 2) have passed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "util/levenshtein.hpp"
#include "util/utf8.hpp"

namespace {

struct Pair {
  std::u32string a, b;
};

using Clock = std::chrono::steady_clock;

// Runs `pass` over all pairs until `min_seconds` passed; returns pairs/s.
template <typename Pass>
double pairs_per_second(const std::vector<Pair>& pairs, double min_seconds, Pass pass) {
  std::uint64_t rounds = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    pass();
    ++rounds;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < min_seconds);
  return static_cast<double>(rounds * pairs.size()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s PAIRS.tsv [MIN_SECONDS]\n", argv[0]);
    return 64;
  }
  const double min_seconds = argc == 3 ? std::atof(argv[2]) : 2.0;
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 66;
  }
  std::vector<Pair> pairs;
  std::string line;
  std::uint64_t code_points = 0;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) {
      std::fprintf(stderr, "%s:%llu: no tab between the two titles\n", argv[1],
                   static_cast<unsigned long long>(number));
      return 65;
    }
    Pair pair;
    haul::utf8::decode(std::string_view(line).substr(0, tab), pair.a);
    haul::utf8::decode(std::string_view(line).substr(tab + 1), pair.b);
    code_points += pair.a.size() + pair.b.size();
    pairs.push_back(std::move(pair));
  }
  if (pairs.empty()) {
    std::fprintf(stderr, "%s: no pairs\n", argv[1]);
    return 65;
  }

  std::vector<std::size_t> distances(pairs.size());
  const double unbounded = pairs_per_second(pairs, min_seconds, [&] {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const Pair& p = pairs[i];
      distances[i] = haul::bounded_levenshtein(p.a, p.b, std::max(p.a.size(), p.b.size()));
    }
  });
  std::uint64_t distance_sum = 0, checksum = 0;
  for (std::size_t i = 0; i < distances.size(); ++i) {
    distance_sum += distances[i];
    checksum += (i + 1) * distances[i];  // wraps mod 2^64, as the Python side computes
  }

  std::uint64_t similar = 0;
  const double cutoff = pairs_per_second(pairs, min_seconds, [&] {
    similar = 0;
    for (const Pair& p : pairs) similar += haul::levenshtein_similarity(p.a, p.b, 0.8) >= 0.8;
  });

  std::printf(
      "{\"pairs\":%zu,\"mean_code_points\":%.1f,\"distance_sum\":%llu,\"checksum\":%llu,"
      "\"pairs_per_s\":%.0f,\"cutoff\":0.8,\"cutoff_pairs_per_s\":%.0f,\"cutoff_similar\":%llu}\n",
      pairs.size(), static_cast<double>(code_points) / (2.0 * static_cast<double>(pairs.size())),
      static_cast<unsigned long long>(distance_sum), static_cast<unsigned long long>(checksum),
      unbounded, cutoff, static_cast<unsigned long long>(similar));
  return 0;
}
