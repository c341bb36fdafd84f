#pragma once
// haul's extensions to a record schema, read from the same schema file so one
// file says everything about a record type:
//
//   "x-haul-null-strings": ["null", "N/A"]        texts that mean "no value"
//   "properties": {"price": {"x-haul-coerce": ["trim", "number"], ...}}
//   "x-haul-rules": [
//     {"rule": "range", "code": "price_out_of_range", "field": "price",
//      "min": 1000, "max": 10000000},
//     {"rule": "year_window", "code": "year_out_of_window", "field": "year",
//      "min": 1920, "max_years_after_run": 2}]
//
// Coercions apply to top-level fields, in the declared order, before the
// schema is checked. Business rules run after it, only on fields of the
// right type that the schema did not already reject (each problem is
// reported once). year_window is relative to the run's logical date, not
// the clock, so a backfill judges records as the day it stands for would.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schema/coercion.hpp"
#include "schema/schema.hpp"
#include "util/date.hpp"
#include "util/status.hpp"

namespace haul::schema {

struct FieldPolicy {
  std::string field;
  std::vector<CoerceStep> steps;
};

struct BusinessRule {
  enum class Kind { kRange, kYearWindow } kind;
  std::string code;
  std::string field;
  double min = 0;
  double max = 0;
  int max_years_after_run = 0;  // kYearWindow
};

class RecordPolicy {
 public:
  // Config errors (ExitCode::kConfig) name the rule or property at fault.
  static Status compile(std::string_view schema_json, RecordPolicy& out);

  // The coercions declared for a top-level field, or nullptr.
  const FieldPolicy* field(std::string_view name) const;
  bool is_null_string(std::string_view text) const;
  bool has_coercions() const { return !fields_.empty(); }

  // Appends an error for each rule a record breaks.
  void check_rules(std::span<const Field> fields, const Date& run_date,
                   ValidationErrors& errors) const;

 private:
  std::vector<FieldPolicy> fields_;  // sorted by field
  std::vector<std::string> null_strings_;
  std::vector<BusinessRule> rules_;
};

}  // namespace haul::schema
