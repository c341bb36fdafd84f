#include "enrich/record_plan.hpp"

#include "enrich/image_url.hpp"

namespace haul::enrich {

using simdjson::dom::element;

bool RecordPlanner::is_owned_field(std::string_view key) const {
  return key == kGeoField || key == kMarketField || key == kWarningsField ||
         (config_.grade.enabled() && key == config_.grade.field());
}

bool RecordPlanner::images_unchanged(simdjson::dom::object record,
                                     std::uint16_t& checked_urls) const {
  auto unchanged = [&](std::string_view url) {
    ++checked_urls;
    if (is_normalised_image_url(url)) return true;
    const ImageUrlCheck checked = check_image_url(url);
    return checked.error.empty() && checked.url == url;
  };
  for (const std::string& field : config_.images.fields) {
    element value;
    if (record[field].get(value) || value.is_null()) continue;
    std::string_view url;
    simdjson::dom::array urls;
    if (!value.get(url)) {
      if (!unchanged(url)) return false;
    } else if (!value.get(urls)) {
      for (element item : urls) {
        // Items that are not strings are kept as they are.
        if (!item.get(url) && !unchanged(url)) return false;
      }
    } else {
      return false;  // a warning: written by the full path
    }
  }
  return true;
}

RecordPlan RecordPlanner::plan(simdjson::dom::object record) const {
  RecordPlan plan;
  if (config_.grade.enabled()) plan.grade = config_.grade.grade(record);
  for (std::uint8_t field = 0; field < std::size(kLocationFieldNames); ++field) {
    element value;
    if (record[kLocationFieldNames[field]].get(value) || value.is_null()) {
      plan.absent |= static_cast<std::uint8_t>(1u << field);
    }
  }
  plan.has_members = record.size() > 0;
  for (auto [key, value] : record)
    plan.has_owned_field = plan.has_owned_field || is_owned_field(key);
  plan.splice = !plan.has_owned_field && images_unchanged(record, plan.images_checked);
  return plan;
}

}  // namespace haul::enrich
