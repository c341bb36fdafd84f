#pragma once
// Levenshtein distance over Unicode code points, bounded: the caller says the
// largest distance it cares about, and anything beyond comes back as
// max_distance + 1 as soon as that is certain. Near-duplicate scoring only asks
// "are these two within k edits?", so most pairs end after a length check or
// a few columns instead of a full m×n table.
//
// Bit-parallel (Myers 1999, in Hyyrö's 2003 formulation): the shorter string's
// columns are machine words, 64 code points each, so a 60-character title
// costs one word operation sequence per character of the other string.

#include <cstddef>
#include <string_view>

namespace haul {

// The edit distance (insertions, deletions, substitutions, each 1) between `a`
// and `b` if it is at most `max_distance`, else max_distance + 1.
std::size_t bounded_levenshtein(std::u32string_view a, std::u32string_view b,
                                std::size_t max_distance);

// 1 - distance / longer length, in [0, 1]; 1 for two empty strings. Returns 0
// when the similarity would be below `min_similarity` (cheaply, by bounding
// the distance).
double levenshtein_similarity(std::u32string_view a, std::u32string_view b,
                              double min_similarity = 0.0);

}  // namespace haul
