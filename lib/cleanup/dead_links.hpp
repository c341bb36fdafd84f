#pragma once
// The dead-link check: active vehicles' source_url asked with HEAD (GET when
// the server answers 405 or 501 to HEAD), as politely as haul-scrape asks:
// one client with a User-Agent naming the operator, requests in flight
// overall and per host, a minimum delay with jitter between requests to one
// host, a requests-per-second cap, retries with backoff on 408/429/5xx, and
// robots.txt (a disallowed URL is not asked). A listing answered 404 or 410
// (after redirects) is marked 'sold'. Every listing that got an HTTP answer
// has link_checked_at set to the logical date; each run takes at most
// max_checks listings, those checked longest ago (or never) first, skipping
// those checked within recheck_days. Unreachable hosts change nothing.
//
// A dry run lists the listings it would check and asks nothing.

#include <pqxx/connection>

#include "cleanup/action_log.hpp"
#include "cleanup/cleanup_config.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::cleanup {

Status check_dead_links(pqxx::connection& connection, const Date& logical,
                        const DeadLinkConfig& config, ActionLog& log);

}  // namespace haul::cleanup
