#include "support/scrape_sources.hpp"

#include <fmt/format.h>

namespace haul::testing {

std::string TestSource::json() const {
  return fmt::format(
      R"({{"name":"{}","type":"{}","url":"{}","records":"{}","pagination":{},"politeness":{},"retry":{},"timeout_s":{}{}{}}})",
      name, type, url, records, pagination, politeness, retry, timeout_s, extra.empty() ? "" : ",", extra);
}

std::string items_page(int first, int count, const std::string& extra_fields) {
  std::string items;
  for (int id = first; id < first + count; ++id) {
    if (!items.empty()) items += ",";
    items += fmt::format(R"({{"id":{},"brand":"B{}","price":1.50}})", id, id);
  }
  return fmt::format(R"({{"items":[{}]{}{}}})", items, extra_fields.empty() ? "" : ",",
                     extra_fields);
}

std::string query_param(const std::string& query, const std::string& name) {
  std::size_t at = 0;
  while (at <= query.size()) {
    std::size_t end = query.find('&', at);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(at, end - at);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return {};
}

}  // namespace haul::testing
