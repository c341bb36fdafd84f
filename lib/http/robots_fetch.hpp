#pragma once
// Fetching robots.txt for a set of origins before any page is asked for,
// all at once through one Client: 2xx is parsed for our product token, 4xx
// means no rules, anything else (5xx, unreachable) disallows the whole origin
// for this run (RFC 9309). Each Crawl-delay becomes the host's minimum delay
// on the client. Used by every stage that fetches pages of other people's
// sites (scrape, cleanup's dead-link check).

#include <map>
#include <string>

#include "http/client.hpp"
#include "http/robots.hpp"

namespace haul::http {

// "haul-scrape" of "haul-scrape/0.1 (+ops@example.com)".
std::string product_token(const std::string& user_agent);

// `origins`: "scheme://host:port" -> the CA bundle for it ("" for the system's).
std::map<std::string, RobotsRules> fetch_robots(Client& client,
                                                const std::map<std::string, std::string>& origins,
                                                const std::string& user_agent);

}  // namespace haul::http
