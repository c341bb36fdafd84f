#include "http/robots_fetch.hpp"

#include <spdlog/spdlog.h>

#include <memory>

namespace haul::http {

std::string product_token(const std::string& user_agent) {
  return user_agent.substr(0, user_agent.find_first_of("/ "));
}

std::map<std::string, RobotsRules> fetch_robots(Client& client,
                                                const std::map<std::string, std::string>& origins,
                                                const std::string& user_agent) {
  std::map<std::string, RobotsRules> rules;
  std::map<std::string, std::unique_ptr<RequestPolicy>> policies;
  for (const auto& entry : origins) {
    // Named copies, not structured bindings: the reply callback captures them.
    const std::string& origin = entry.first;
    const std::string& ca_bundle = entry.second;
    if (origin.empty()) continue;
    auto policy = std::make_unique<RequestPolicy>();
    policy->retry.max_retries = 1;
    policy->retry.max_total_s = 10;
    policy->timeout_s = 15;
    policy->max_response_bytes = 512 * 1024;  // RFC 9309 asks for at least 500 KiB
    policy->ca_bundle = ca_bundle;
    Request request;
    request.url = origin + "/robots.txt";
    request.redacted_url = request.url;  // an origin holds no secret a log may not show
    request.policy = policy.get();
    policies.emplace(origin, std::move(policy));
    client.submit(std::move(request), [&rules, origin, user_agent](Response&& response) {
      RobotsRules parsed;
      if (response.ok()) {
        parsed = RobotsRules::parse(response.body, product_token(user_agent));
      } else if (response.status >= 400 && response.status < 500) {
        parsed = RobotsRules::allow_all();
      } else {
        spdlog::warn("{}/robots.txt could not be read ({}): nothing there is fetched this run",
                     origin,
                     response.error.empty() ? std::to_string(response.status) : response.error);
        parsed = RobotsRules::disallow_all();
      }
      rules.insert_or_assign(origin, std::move(parsed));
    });
  }
  client.run();
  for (const auto& [origin, parsed] : rules) {
    if (auto delay = parsed.crawl_delay_s()) client.limit_host(origin, HostPolicy{1 << 20, *delay, 0});
  }
  return rules;
}

}  // namespace haul::http
