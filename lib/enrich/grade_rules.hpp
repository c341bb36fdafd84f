#pragma once
// The investment grade of a listing, from rules an operator edits in
// config/enrich.json without recompiling. Rules are tried in order; the first
// whose conditions all hold gives the grade, else the default.
//
// The built-in rules are the original pipeline's calculateInvestmentGrade:
//   `${make} ${model}` contains Corvette/Porsche/Ferrari/Jaguar  -> A+
//   contains Chevelle/GTO/Challenger/Camaro/Mustang               -> A
//   1950 <= year <= 1970                                          -> A-
//   otherwise                                                     -> B+
// with its case-sensitive substring test (String.prototype.includes).

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "enrich/record_fields.hpp"
#include "run/config_section.hpp"

namespace re2 {
class RE2;
}

namespace haul::enrich {

// One test on a record. Text tests look at the named fields' values joined
// with a space, as JavaScript would write them (a missing field is ""); a
// numeric test reads one field as a number (a numeric string counts) and
// fails when it is absent or not a number.
struct GradeCondition {
  enum class Test { kContainsAny, kEqualsAny, kMatches, kBetween, kAtLeast, kAtMost, kPresent };
  std::vector<std::string> fields;
  Test test = Test::kPresent;
  std::vector<std::string> values;          // kContainsAny, kEqualsAny
  std::shared_ptr<const re2::RE2> pattern;  // kMatches (RE2: linear time)
  double low = 0, high = 0;                 // kBetween (inclusive), kAtLeast (low), kAtMost (high)
  bool present = true;                      // kPresent: the field is (not) there and not null
  bool ignore_case = false;                 // text tests: compare normalised (NFKC, case-folded)
  // Text tests of the same fields and case share a number (GradeRules sets
  // it), so a record's "make model" is joined once for all of them.
  int text = -1;
};

struct GradeRule {
  std::string grade;
  std::vector<GradeCondition> conditions;  // all must hold
};

// Immutable once read: safe to share between threads.
class GradeRules {
 public:
  static GradeRules original_pipeline();
  static GradeRules none();  // grades nothing (types without a grade section)

  // Reads {"field": ..., "default": ..., "rules": [...]} (config/README.md).
  static Status read(const run::ConfigSection& section, simdjson::dom::object grade,
                     GradeRules& out);

  bool enabled() const { return !field_.empty(); }
  const std::string& field() const { return field_; }  // "investmentGrade"
  // The grade for `record`; empty when no rule holds and there is no default.
  std::string_view grade(const RecordFields& record) const;
  // Lists the fields the rules read.
  void add_fields(FieldNames& names) const;

 private:
  // `joined`: the GradeCondition::text the thread's joined text holds for
  // this record (-1: none yet).
  bool holds(const GradeCondition& condition, const RecordFields& record, int& joined) const;
  void number_texts();
  std::string field_;
  std::string default_grade_;
  std::vector<GradeRule> rules_;
};

}  // namespace haul::enrich
