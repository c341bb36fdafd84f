#include "import/input_choice.hpp"

namespace haul::import {

std::optional<std::filesystem::path> choose_input(const io::DataLayout& layout, const Date& date,
                                                  std::string_view type) {
  for (const char* name : kInputFiles) {
    std::filesystem::path path = layout.processed_dir(date, type) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return std::nullopt;
}

}  // namespace haul::import
