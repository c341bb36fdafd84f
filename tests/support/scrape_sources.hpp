#pragma once
// Source declarations for scrape tests, pointed at the test HTTP server:
// robots off and retries fast unless a test says otherwise, so each test
// states only what it is about.

#include <map>
#include <string>

namespace haul::testing {

struct TestSource {
  std::string name = "src";
  std::string type = "vehicles";
  std::string url;
  std::string records = "/items";
  std::string pagination = R"({"type":"none"})";
  std::string politeness = R"({"robots":false,"concurrency":1})";
  std::string retry = R"({"max_retries":3,"base_delay_s":0.05,"max_delay_s":0.2,"max_total_s":10})";
  double timeout_s = 5;
  std::string extra;  // more fields, each "\"key\": value", comma-separated

  std::string json() const;
};

// A page of `count` records {"id": first.., "brand": "B<id>"} under "items".
std::string items_page(int first, int count, const std::string& extra_fields = "");
// The query parameter `name` of a request's query string ("" when absent).
std::string query_param(const std::string& query, const std::string& name);

}  // namespace haul::testing
