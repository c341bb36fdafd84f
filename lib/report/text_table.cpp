#include "report/text_table.hpp"

#include <algorithm>

namespace haul::report {
namespace {

std::size_t columns_of(const std::string& text) {
  // Counts code points: every byte that does not continue a UTF-8 sequence.
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

TextTable::TextTable(std::vector<std::string> header) {
  for (std::string& name : header) {
    const bool right = !name.empty() && name[0] == '>';
    right_.push_back(right);
    header_.push_back(right ? name.substr(1) : std::move(name));
  }
}

void TextTable::add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

std::string TextTable::render() const {
  std::vector<std::size_t> width(header_.size());
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], columns_of(row[i]));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::size_t pad = width[i] - columns_of(row[i]);
      if (i > 0) text += "  ";
      if (right_[i]) text.append(pad, ' ');
      text += row[i];
      if (!right_[i]) text.append(pad, ' ');
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text;
    out += '\n';
  };
  line(header_);
  for (const auto& row : rows_) line(row);
  return out;
}

}  // namespace haul::report
