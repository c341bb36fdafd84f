#pragma once
// Command-line numbers of the benchmark generators (N, SEED), read strictly:
// a generator given "1e6" or "12abc" says so rather than writing a file of
// the wrong size.
#include <cstdio>
#include <cstdlib>

namespace bench {

// Parses `text` as a decimal number into `out`; on failure prints
// "<name> must be a [positive] number, got '<text>'" and returns false.
inline bool parse_count(const char* text, const char* name, bool positive,
                        unsigned long long& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || (positive && out == 0)) {
    std::fprintf(stderr, "%s must be a %snumber, got '%s'\n", name, positive ? "positive " : "",
                 text);
    return false;
  }
  return true;
}

}  // namespace bench
