#include "cleanup/dead_links.hpp"

#include <fmt/format.h>

#include <functional>
#include <pqxx/pqxx>

#include "cleanup/database_upkeep.hpp"
#include "http/client.hpp"
#include "http/robots_fetch.hpp"

namespace haul::cleanup {
namespace {

struct Listing {
  std::string id;
  std::string url;
};

}  // namespace

Status check_dead_links(pqxx::connection& connection, const Date& logical,
                        const DeadLinkConfig& config, ActionLog& log) {
  std::vector<Listing> listings;
  try {
    pqxx::read_transaction tx(connection);
    for (const auto& row : tx.exec_params(
             "SELECT id::text, source_url FROM vehicles WHERE status = 'active' "
             "AND source_url ~* '^https?://' "
             "AND (link_checked_at IS NULL OR link_checked_at < $1::timestamptz) "
             "ORDER BY link_checked_at NULLS FIRST, id LIMIT $2",
             midnight_utc(logical.plus_days(-config.recheck_days)),
             static_cast<long>(config.max_checks))) {
      listings.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
    }
  } catch (const std::exception& e) {
    return database_failure(e, "dead-link check: reading the listings");
  }
  if (log.dry_run()) {
    std::vector<std::string> subjects;
    for (const Listing& listing : listings) subjects.push_back("vehicles id " + listing.id);
    log.add_many("check_link", listings.size(), subjects, "(no request is made in a dry run)");
    return Status::ok();
  }
  if (listings.empty()) return Status::ok();

  http::Client::Options options;
  options.max_in_flight = config.concurrency;
  options.user_agent = config.full_user_agent();
  http::Client client(options);
  std::map<std::string, std::string> origins;
  for (const Listing& listing : listings) {
    const std::string origin = http::Client::origin_of(listing.url);
    if (origin.empty()) continue;
    origins.emplace(origin, config.ca_bundle);
    client.limit_host(origin,
                      http::HostPolicy{config.per_host_concurrency, config.min_delay_s, config.jitter_s});
  }
  std::map<std::string, http::RobotsRules> robots;
  if (config.robots) robots = http::fetch_robots(client, origins, options.user_agent);

  http::RateLimiter rate(config.requests_per_second);
  http::RequestPolicy policy;
  policy.retry.max_retries = 2;
  policy.retry.base_delay_s = 1;
  policy.retry.max_total_s = 60;
  policy.timeout_s = config.timeout_s;
  policy.connect_timeout_s = std::min(config.timeout_s, 10.0);
  policy.max_response_bytes = 1 << 20;  // a GET's body is not wanted, only its status
  policy.ca_bundle = config.ca_bundle;
  policy.rate = &rate;

  std::vector<std::string> checked, gone;
  std::map<std::string, long> gone_status;
  std::function<void(const Listing&, const std::string&)> ask = [&](const Listing& listing,
                                                                      const std::string& method) {
    http::Request request;
    request.method = method;
    request.url = listing.url;
    request.redacted_url = listing.url;
    request.policy = &policy;
    client.submit(std::move(request), [&, listing, method](http::Response&& response) {
      const long status = response.status;
      if (method == "HEAD" && (status == 405 || status == 501)) {
        ask(listing, "GET");
        return;
      }
      if (status == 0) {
        log.kept("check_link", "vehicles id " + listing.id, "no answer: " + response.error);
        return;
      }
      checked.push_back(listing.id);
      if (status == 404 || status == 410) {
        gone.push_back(listing.id);
        gone_status[listing.id] = status;
      }
    });
  };
  for (const Listing& listing : listings) {
    if (config.robots) {
      auto rules = robots.find(http::Client::origin_of(listing.url));
      if (rules != robots.end() && !rules->second.allowed(http::path_of(listing.url))) {
        log.kept("check_link", "vehicles id " + listing.id, "disallowed by robots.txt");
        continue;
      }
    }
    ask(listing, "HEAD");
  }
  client.run();

  try {
    pqxx::work tx(connection);
    pqxx::result sold = tx.exec_params(
        "UPDATE vehicles SET status = 'sold' WHERE status = 'active' "
        "AND id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint) RETURNING id::text",
        json_array(gone));
    tx.exec_params(
        "UPDATE vehicles SET link_checked_at = $2::timestamptz "
        "WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)",
        json_array(checked), midnight_utc(logical));
    tx.commit();
    for (const auto& row : sold) {
      const std::string id = row[0].as<std::string>();
      log.add("mark_sold", "vehicles id " + id, fmt::format("(source answered {})", gone_status[id]));
    }
  } catch (const std::exception& e) {
    return database_failure(e, "dead-link check: marking listings sold");
  }
  std::vector<std::string> subjects;
  for (const std::string& id : checked) subjects.push_back("vehicles id " + id);
  log.add_many("check_link", checked.size(), subjects, "(answered)");
  return Status::ok();
}

}  // namespace haul::cleanup
