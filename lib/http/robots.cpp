#include "http/robots.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>

namespace haul::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Does `pattern` ('*' any run, a final '$' the end) match a prefix of `path`
// (or all of it, with '$')?
bool matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative wildcard matching with backtracking to the last '*'.
  std::size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star = p++;
      mark = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos || mark >= path.size()) return false;
    p = star + 1;
    s = ++mark;
  }
}

}  // namespace

RobotsRules RobotsRules::disallow_all() {
  RobotsRules rules;
  rules.rules_.push_back({false, "/"});
  return rules;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view product) {
  std::string token = lower(product);
  // Groups: consecutive user-agent lines, then their rules.
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<double> crawl_delay;
  };
  std::vector<Group> groups;
  bool in_agents = false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    line = trim(line.substr(0, line.find('#')));
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = lower(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (!in_agents) groups.emplace_back();
      in_agents = true;
      groups.back().agents.push_back(lower(value));
      continue;
    }
    if (groups.empty()) continue;
    in_agents = false;
    if (key == "allow" || key == "disallow") {
      if (!value.empty()) groups.back().rules.push_back({key == "allow", std::string(value)});
    } else if (key == "crawl-delay") {
      char* parse_end = nullptr;
      std::string number(value);
      double delay = std::strtod(number.c_str(), &parse_end);
      if (parse_end != number.c_str() && delay >= 0) groups.back().crawl_delay = delay;
    }
  }
  RobotsRules rules;
  auto pick = [&](bool wildcard) {
    bool found = false;
    for (const Group& group : groups) {
      bool ours = std::any_of(group.agents.begin(), group.agents.end(), [&](const auto& agent) {
        return wildcard
                   ? agent == "*"
                   : (!token.empty() && agent != "*" && token.find(agent) != std::string::npos);
      });
      if (!ours) continue;
      found = true;
      rules.rules_.insert(rules.rules_.end(), group.rules.begin(), group.rules.end());
      if (group.crawl_delay) rules.crawl_delay_s_ = group.crawl_delay;
    }
    return found;
  };
  if (!pick(false)) pick(true);
  return rules;
}

bool RobotsRules::allowed(std::string_view path) const {
  const Rule* best = nullptr;
  for (const Rule& rule : rules_) {
    if (!matches(rule.pattern, path)) continue;
    if (!best || rule.pattern.size() > best->pattern.size() ||
        (rule.pattern.size() == best->pattern.size() && rule.allow && !best->allow)) {
      best = &rule;
    }
  }
  return !best || best->allow;
}

std::string path_of(const std::string& url) {
  CURLU* parsed = curl_url();
  std::string out = "/";
  char *path = nullptr, *query = nullptr;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    if (curl_url_get(parsed, CURLUPART_PATH, &path, 0) == CURLUE_OK && path && *path) out = path;
    if (curl_url_get(parsed, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query) {
      out += "?";
      out += query;
    }
  }
  curl_free(path);
  curl_free(query);
  curl_url_cleanup(parsed);
  return out;
}

}  // namespace haul::http
