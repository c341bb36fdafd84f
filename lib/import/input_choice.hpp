#pragma once
// Which file haul-import reads for a partition: the output of the latest
// stage that ran, so import works before enrich (or dedup) exists.

#include <filesystem>
#include <optional>
#include <string>

#include "io/data_layout.hpp"

namespace haul::import {

// In order of preference.
inline constexpr const char* kInputFiles[] = {"enriched.jsonl", "deduped.jsonl", "validated.jsonl"};

std::optional<std::filesystem::path> choose_input(const io::DataLayout& layout, const Date& date,
                                                  std::string_view type);

}  // namespace haul::import
