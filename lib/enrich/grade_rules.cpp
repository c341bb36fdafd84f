#include "enrich/grade_rules.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "dedup/record_identity.hpp"
#include "util/utf8.hpp"

namespace haul::enrich {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;
using Test = GradeCondition::Test;

GradeCondition contains_any(std::vector<std::string> fields, std::vector<std::string> values) {
  GradeCondition c;
  c.fields = std::move(fields);
  c.test = Test::kContainsAny;
  c.values = std::move(values);
  return c;
}

// The field's value as a number: JSON numbers, and strings that are one.
bool number_of(element value, double& out) {
  if (!value.get(out)) return true;
  std::string_view text;
  if (value.get(text)) return false;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

thread_local std::string t_joined;

const std::string& joined_text(const GradeCondition& condition, const RecordFields& record) {
  t_joined.clear();
  for (std::size_t i = 0; i < condition.fields.size(); ++i) {
    if (i) t_joined.push_back(' ');
    element value;
    if (!record[condition.fields[i]].get(value)) dedup::append_js_join_value(t_joined, value);
  }
  if (condition.ignore_case) t_joined = utf8::normalize_for_matching(t_joined);
  return t_joined;
}

const char* const kTests[] = {"contains_any", "equals_any", "matches", "between",
                              "at_least",     "at_most",    "present"};

Status read_condition(const run::ConfigSection& where, object spec, GradeCondition& out) {
  if (Status s =
          where.unknown_keys(spec, {"field", "fields", "contains_any", "equals_any", "matches",
                                    "between", "at_least", "at_most", "present", "ignore_case"});
      !s.is_ok()) {
    return s;
  }
  element value;
  if (!spec["field"].get(value)) {
    std::string field;
    if (Status s = where.text(value, "field", field); !s.is_ok()) return s;
    out.fields = {field};
  }
  if (!spec["fields"].get(value)) {
    if (!out.fields.empty()) return where.error("fields", "and field cannot both be given");
    if (Status s = where.strings(value, "fields", out.fields); !s.is_ok()) return s;
  }
  if (out.fields.empty()) return where.error("field", "is required (or fields)");
  if (!spec["ignore_case"].get(value)) {
    if (Status s = where.flag(value, "ignore_case", out.ignore_case); !s.is_ok()) return s;
  }
  int tests = 0;
  for (const char* name : kTests) tests += spec[name].error() ? 0 : 1;
  if (tests != 1) {
    return where.error("",
                       "needs exactly one test: contains_any, equals_any, matches, between, "
                       "at_least, at_most or present");
  }
  if (!spec["contains_any"].get(value) || !spec["equals_any"].get(value)) {
    const bool contains = !spec["contains_any"].error();
    out.test = contains ? Test::kContainsAny : Test::kEqualsAny;
    const char* key = contains ? "contains_any" : "equals_any";
    if (Status s = where.strings(value, key, out.values); !s.is_ok()) return s;
    if (out.ignore_case) {
      for (auto& v : out.values) v = utf8::normalize_for_matching(v);
    }
  } else if (!spec["matches"].get(value)) {
    std::string pattern;
    if (Status s = where.text(value, "matches", pattern); !s.is_ok()) return s;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(!out.ignore_case);
    auto re = std::make_shared<const RE2>(pattern, options);
    if (!re->ok()) return where.error("matches", "is not a valid RE2 pattern: " + re->error());
    out.pattern = std::move(re);
    out.test = Test::kMatches;
    out.ignore_case = false;  // RE2 handles case itself
  } else if (!spec["between"].get(value)) {
    simdjson::dom::array range;
    double low, high;
    if (value.get(range) || range.size() != 2 || range.at(0).get(low) || range.at(1).get(high) ||
        low > high) {
      return where.error("between", "must be [low, high] with low <= high");
    }
    out.test = Test::kBetween;
    out.low = low;
    out.high = high;
  } else if (!spec["at_least"].get(value)) {
    out.test = Test::kAtLeast;
    if (value.get(out.low)) return where.error("at_least", "must be a number");
  } else if (!spec["at_most"].get(value)) {
    out.test = Test::kAtMost;
    if (value.get(out.high)) return where.error("at_most", "must be a number");
  } else if (!spec["present"].get(value)) {
    out.test = Test::kPresent;
    if (Status s = where.flag(value, "present", out.present); !s.is_ok()) return s;
  }
  const bool numeric =
      out.test == Test::kBetween || out.test == Test::kAtLeast || out.test == Test::kAtMost;
  if ((numeric || out.test == Test::kPresent) && out.fields.size() != 1) {
    return where.error("fields", "must name one field for a numeric or present test");
  }
  return Status::ok();
}

}  // namespace

GradeRules GradeRules::original_pipeline() {
  GradeRules rules;
  rules.field_ = "investmentGrade";
  rules.default_grade_ = "B+";
  rules.rules_.push_back(
      {"A+", {contains_any({"make", "model"}, {"Corvette", "Porsche", "Ferrari", "Jaguar"})}});
  rules.rules_.push_back(
      {"A",
       {contains_any({"make", "model"}, {"Chevelle", "GTO", "Challenger", "Camaro", "Mustang"})}});
  GradeCondition classic;
  classic.fields = {"year"};
  classic.test = Test::kBetween;
  classic.low = 1950;
  classic.high = 1970;
  rules.rules_.push_back({"A-", {classic}});
  rules.number_texts();
  return rules;
}

GradeRules GradeRules::none() { return GradeRules(); }

Status GradeRules::read(const run::ConfigSection& section, object grade, GradeRules& out) {
  if (Status s = section.unknown_keys(grade, {"field", "default", "rules", "enabled"}); !s.is_ok())
    return s;
  element value;
  bool enabled = true;
  if (!grade["enabled"].get(value)) {
    if (Status s = section.flag(value, "enabled", enabled); !s.is_ok()) return s;
  }
  if (!enabled) {
    out = none();
    return Status::ok();
  }
  if (out.field_.empty()) out.field_ = "investmentGrade";
  if (!grade["field"].get(value)) {
    if (Status s = section.text(value, "field", out.field_); !s.is_ok()) return s;
    if (out.field_.empty() || out.field_.front() == '_') {
      return section.error("field", "must be a non-empty name not starting with _");
    }
  }
  if (!grade["default"].get(value)) {
    if (value.is_null()) {
      out.default_grade_.clear();
    } else if (Status s = section.text(value, "default", out.default_grade_); !s.is_ok()) {
      return s;
    }
  }
  if (!grade["rules"].get(value)) {
    simdjson::dom::array rules;
    if (value.get(rules)) return section.error("rules", "must be an array of rules");
    out.rules_.clear();
    std::size_t index = 0;
    for (element item : rules) {
      const run::ConfigSection where = section.nested(fmt::format("rules[{}]", index++));
      object rule;
      if (item.get(rule)) return where.error("", "must be an object");
      if (Status s = where.unknown_keys(rule, {"grade", "when"}); !s.is_ok()) return s;
      GradeRule parsed;
      if (rule["grade"].get(value)) return where.error("grade", "is required");
      if (Status s = where.text(value, "grade", parsed.grade); !s.is_ok()) return s;
      simdjson::dom::array when;
      if (rule["when"].get(value) || value.get(when) || when.size() == 0) {
        return where.error("when", "must be a non-empty array of conditions");
      }
      std::size_t c = 0;
      for (element condition : when) {
        const run::ConfigSection cwhere = where.nested(fmt::format("when[{}]", c++));
        object spec;
        if (condition.get(spec)) return cwhere.error("", "must be an object");
        GradeCondition parsed_condition;
        if (Status s = read_condition(cwhere, spec, parsed_condition); !s.is_ok()) return s;
        parsed.conditions.push_back(std::move(parsed_condition));
      }
      out.rules_.push_back(std::move(parsed));
    }
  }
  out.number_texts();
  return Status::ok();
}

void GradeRules::number_texts() {
  std::vector<const GradeCondition*> seen;
  for (GradeRule& rule : rules_) {
    for (GradeCondition& condition : rule.conditions) {
      auto same = std::find_if(seen.begin(), seen.end(), [&](const GradeCondition* other) {
        return other->fields == condition.fields && other->ignore_case == condition.ignore_case;
      });
      if (same == seen.end()) {
        condition.text = static_cast<int>(seen.size());
        seen.push_back(&condition);
      } else {
        condition.text = (*same)->text;
      }
    }
  }
}

bool GradeRules::holds(const GradeCondition& condition, const RecordFields& record,
                       int& joined) const {
  auto joined_text_of = [&]() -> const std::string& {
    if (joined == condition.text && joined >= 0) return t_joined;
    joined = condition.text;
    return joined_text(condition, record);
  };
  switch (condition.test) {
    case Test::kContainsAny: {
      const std::string& text = joined_text_of();
      for (const auto& v : condition.values) {
        if (text.find(v) != std::string::npos) return true;
      }
      return false;
    }
    case Test::kEqualsAny: {
      const std::string& text = joined_text_of();
      for (const auto& v : condition.values) {
        if (text == v) return true;
      }
      return false;
    }
    case Test::kMatches:
      return RE2::PartialMatch(joined_text_of(), *condition.pattern);
    case Test::kPresent: {
      element value;
      const bool there = !record[condition.fields[0]].get(value) && !value.is_null();
      return there == condition.present;
    }
    case Test::kBetween:
    case Test::kAtLeast:
    case Test::kAtMost: {
      element value;
      double number;
      if (record[condition.fields[0]].get(value) || !number_of(value, number)) return false;
      if (condition.test == Test::kBetween)
        return number >= condition.low && number <= condition.high;
      if (condition.test == Test::kAtLeast) return number >= condition.low;
      return number <= condition.high;
    }
  }
  return false;
}

void GradeRules::add_fields(FieldNames& names) const {
  for (const GradeRule& rule : rules_) {
    for (const GradeCondition& condition : rule.conditions) {
      for (const std::string& field : condition.fields) names.add(field);
    }
  }
}

std::string_view GradeRules::grade(const RecordFields& record) const {
  int joined = -1;
  for (const GradeRule& rule : rules_) {
    bool all = true;
    for (const GradeCondition& condition : rule.conditions) {
      if (!holds(condition, record, joined)) {
        all = false;
        break;
      }
    }
    if (all) return rule.grade;
  }
  return default_grade_;
}

}  // namespace haul::enrich
