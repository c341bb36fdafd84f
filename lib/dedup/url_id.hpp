#pragma once
// Finds the car (or listing) id inside a listing URL with the patterns of
// config/dedup.json, e.g. "https://dealer.example.com/inventory/104123" →
// "104123" or "...#vin=1FTEW1EP5KFA12345" → "1FTEW1EP5KFA12345". A relisted car
// often keeps its id under a new URL, and aggregators copy the dealer's link.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace haul::dedup {

class UrlIdExtractor {
 public:
  // Patterns are RE2 syntax, already checked by load_config(); the first
  // capture group of the first pattern that matches is the id.
  explicit UrlIdExtractor(const std::vector<std::string>& patterns);
  ~UrlIdExtractor();
  UrlIdExtractor(const UrlIdExtractor&) = delete;
  UrlIdExtractor& operator=(const UrlIdExtractor&) = delete;

  // The id upper-cased, or empty when no pattern matches.
  std::string extract(std::string_view url) const;
  bool empty() const { return patterns_.empty(); }

 private:
  std::vector<std::unique_ptr<re2::RE2>> patterns_;
};

}  // namespace haul::dedup
