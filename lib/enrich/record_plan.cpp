#include "enrich/record_plan.hpp"

#include <algorithm>

#include "enrich/image_url.hpp"
#include "enrich/place.hpp"

namespace haul::enrich {

using simdjson::dom::element;

RecordPlanner::RecordPlanner(const TypeConfig& config) : config_(config) {
  owned_fields_ = {kGeoField, kMarketField, kWarningsField};
  if (config_.grade.enabled()) owned_fields_.push_back(config_.grade.field());
  FieldNames& names = first_pass_fields_;
  config_.grade.add_fields(names);
  for (std::string_view field : kLocationFieldNames) names.add(field);
  for (std::string_view field : owned_fields_) names.add(field);
  for (const std::string& field : config_.images.fields) names.add(field);
  for (std::string_view field : kPlaceFields) names.add(field);
  for (std::string_view field : {"make", "model", "year", "price", "listing_key"}) names.add(field);
}

bool RecordPlanner::is_owned_field(std::string_view key) const {
  return std::find(owned_fields_.begin(), owned_fields_.end(), key) != owned_fields_.end();
}

bool RecordPlanner::images_unchanged(const RecordFields& record,
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

RecordPlan RecordPlanner::plan(const RecordFields& record) const {
  RecordPlan plan;
  if (config_.grade.enabled()) plan.grade = config_.grade.grade(record);
  for (std::uint8_t field = 0; field < std::size(kLocationFieldNames); ++field) {
    element value;
    if (record[kLocationFieldNames[field]].get(value) || value.is_null()) {
      plan.absent |= static_cast<std::uint8_t>(1u << field);
    }
  }
  plan.has_members = record.object().size() > 0;
  // Any member with an owned name: the first of each such name is found.
  for (std::string_view field : owned_fields_) {
    plan.has_owned_field = plan.has_owned_field || !record[field].error();
  }
  plan.splice = !plan.has_owned_field && images_unchanged(record, plan.images_checked);
  return plan;
}

}  // namespace haul::enrich
