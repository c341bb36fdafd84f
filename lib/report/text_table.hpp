#pragma once
// A terminal table: a header and rows of cells, each column as wide as its
// widest cell (counted in code points, so "é" is one column), numbers right-
// aligned, two spaces between columns and no trailing blanks. Plain text
// only: cron mail and `less` show it as it is.

#include <string>
#include <vector>

namespace haul::report {

class TextTable {
 public:
  // A header starting with '>' is a right-aligned (numeric) column; the '>'
  // is not shown.
  explicit TextTable(std::vector<std::string> header);
  void add(std::vector<std::string> row);  // missing cells are blank
  bool empty() const { return rows_.empty(); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace haul::report
