#pragma once
// Candidate pairs for near-duplicate scoring, far fewer than all n² pairs.
// Each blocking rule groups rows by the values of its key fields; a block of
// at most max_block rows is compared all pairs, a larger one by sorted
// neighbourhood (sorted on the rule's sort field, each row against its
// `window` next neighbours). The rules' pairs are unioned Splink-style: a
// pair is skipped by rule k when an earlier rule already compared its whole
// block containing both rows, so no pair is generated twice by all-pairs
// blocks. (Sorted-neighbourhood windows can still meet a pair twice; the
// caller scores it again and the edge list is deduplicated.)

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dedup/dedup_config.hpp"
#include "dedup/listing_table.hpp"

namespace haul::dedup {

struct BlockingStats {
  std::string rule;
  std::uint64_t blocks = 0;        // blocks of two or more rows
  std::uint64_t largest_block = 0;
  std::uint64_t split_blocks = 0;  // compared by sorted neighbourhood
  std::uint64_t pairs = 0;         // pairs this rule handed out
  std::uint64_t pairs_skipped = 0; // already compared by an earlier rule
};

// Calls visit(a, b) with a < b (rows of `table`) for each candidate pair.
// `rules` are the blocking rules of the configuration `table` was built with.
// Deterministic: the order depends only on the table and the rules.
std::vector<BlockingStats> for_each_candidate_pair(
    const ListingTable& table, const std::vector<BlockingRule>& rules,
    const std::function<void(std::uint32_t, std::uint32_t)>& visit);

}  // namespace haul::dedup
