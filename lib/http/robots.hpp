#pragma once
// robots.txt per RFC 9309: the group for our product token (else "*"),
// Allow/Disallow with '*' and '$' patterns, the longest match wins and Allow
// wins a tie. Crawl-delay (not in the RFC, but widely used) is read too, and
// the scrape stage turns it into the host's minimum delay.
//
// How the file was answered decides the rules: 2xx parsed, 4xx (no file)
// allows everything, anything else (5xx, unreachable) disallows everything
// for this run, as the RFC asks.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haul::http {

class RobotsRules {
 public:
  static RobotsRules allow_all() { return RobotsRules(); }
  static RobotsRules disallow_all();
  // `product` is our User-Agent's product token, e.g. "haul-scrape".
  static RobotsRules parse(std::string_view text, std::string_view product);

  // `path` is the path and query of a URL ("/items?page=2").
  bool allowed(std::string_view path) const;
  std::optional<double> crawl_delay_s() const { return crawl_delay_s_; }

 private:
  struct Rule {
    bool allow;
    std::string pattern;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_s_;
};

// The path and query of an absolute URL, "/" when it has no path.
std::string path_of(const std::string& url);

}  // namespace haul::http
