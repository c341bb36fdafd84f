#include "io/data_layout.hpp"

#include <algorithm>

namespace haul::io {

bool is_record_type(std::string_view name) {
  return std::find(kRecordTypes.begin(), kRecordTypes.end(), name) != kRecordTypes.end();
}

bool is_safe_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::filesystem::path DataLayout::raw_date_dir(const Date& date) const {
  return root_ / "raw" / date.to_string();
}

std::filesystem::path DataLayout::raw_dir(const Date& date, std::string_view type) const {
  return raw_date_dir(date) / std::string(type);
}

std::filesystem::path DataLayout::processed_dir(const Date& date, std::string_view type) const {
  return root_ / "processed" / date.to_string() / std::string(type);
}

std::filesystem::path DataLayout::failed_dir(const Date& date, std::string_view type) const {
  return root_ / "failed" / date.to_string() / std::string(type);
}

std::string DataLayout::relative(const std::filesystem::path& path) const {
  auto rel = path.lexically_relative(root_);
  return rel.empty() || *rel.begin() == ".." ? path.string() : rel.string();
}

std::vector<std::string> DataLayout::types_with_processed(const Date& date,
                                                          std::string_view file_name) const {
  std::vector<std::string> types;
  for (std::string_view type : kRecordTypes) {
    std::error_code ec;
    if (std::filesystem::exists(processed_dir(date, type) / file_name, ec))
      types.emplace_back(type);
  }
  return types;
}

}  // namespace haul::io
