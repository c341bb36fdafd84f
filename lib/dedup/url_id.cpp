#include "dedup/url_id.hpp"

#include <re2/re2.h>

namespace haul::dedup {

UrlIdExtractor::UrlIdExtractor(const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    auto re = std::make_unique<re2::RE2>(pattern, re2::RE2::Quiet);
    if (re->ok() && re->NumberOfCapturingGroups() >= 1) patterns_.push_back(std::move(re));
  }
}

UrlIdExtractor::~UrlIdExtractor() = default;

std::string UrlIdExtractor::extract(std::string_view url) const {
  re2::StringPiece id;
  for (const auto& re : patterns_) {
    if (re2::RE2::PartialMatch(re2::StringPiece(url.data(), url.size()), *re, &id)) {
      std::string out(id.data(), id.size());
      for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      }
      return out;
    }
  }
  return {};
}

}  // namespace haul::dedup
