#include "schema/record_policy.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <strings.h>

#include <algorithm>
#include <cmath>

namespace haul::schema {
namespace {

Status config_error(std::string message) {
  return Status::error(ExitCode::kConfig, std::move(message));
}

std::optional<double> number_of(simdjson::dom::element element) {
  double value;
  if (element.is_number() && !element.get_double().get(value)) return value;
  return std::nullopt;
}

std::optional<double> number_of(const FieldValue& value) {
  if (const auto* coerced = std::get_if<Coerced>(&value)) {
    if (coerced->kind == Coerced::Kind::Int) return static_cast<double>(coerced->i);
    if (coerced->kind == Coerced::Kind::Double) return coerced->d;
    return std::nullopt;
  }
  return number_of(std::get<simdjson::dom::element>(value));
}

std::string format_number(double value) {
  return value == std::floor(value) && std::fabs(value) < 1e15
             ? fmt::format("{}", static_cast<long long>(value))
             : fmt::format("{}", value);
}

Status compile_rule(simdjson::dom::element rule, std::size_t index, BusinessRule& out) {
  std::string where = fmt::format("x-haul-rules[{}]", index);
  std::string_view kind, code, field;
  if (rule["rule"].get(kind) || rule["code"].get(code) || rule["field"].get(field)) {
    return config_error(where + ": needs string members \"rule\", \"code\" and \"field\"");
  }
  out.code = code;
  out.field = field;
  auto member_number = [&](const char* key) -> std::optional<double> {
    simdjson::dom::element element;
    if (rule[key].get(element)) return std::nullopt;
    return number_of(element);
  };
  auto min = member_number("min");
  if (kind == "range") {
    out.kind = BusinessRule::Kind::kRange;
    auto max = member_number("max");
    if (!min || !max || *min > *max) {
      return config_error(where + ": a range rule needs numbers \"min\" <= \"max\"");
    }
    out.min = *min;
    out.max = *max;
    return Status::ok();
  }
  if (kind == "year_window") {
    out.kind = BusinessRule::Kind::kYearWindow;
    int64_t after;
    if (!min || rule["max_years_after_run"].get(after)) {
      return config_error(where +
                          ": a year_window rule needs numbers \"min\" and \"max_years_after_run\"");
    }
    out.min = *min;
    out.max_years_after_run = static_cast<int>(after);
    return Status::ok();
  }
  return config_error(
      fmt::format("{}: unknown rule kind \"{}\" (known: range, year_window)", where, kind));
}

}  // namespace

Status RecordPolicy::compile(std::string_view schema_json, RecordPolicy& out) {
  out = RecordPolicy();
  simdjson::dom::parser parser;
  simdjson::dom::element schema;
  if (auto error = parser.parse(schema_json.data(), schema_json.size()).get(schema)) {
    return config_error(
        fmt::format("schema is not valid JSON: {}", simdjson::error_message(error)));
  }
  simdjson::dom::array nulls;
  if (!schema["x-haul-null-strings"].get(nulls)) {
    for (auto item : nulls) {
      std::string_view text;
      if (item.get(text)) return config_error("x-haul-null-strings must hold strings");
      out.null_strings_.emplace_back(text);
    }
  }
  simdjson::dom::object properties;
  if (!schema["properties"].get(properties)) {
    for (auto [name, property] : properties) {
      simdjson::dom::array steps;
      if (property["x-haul-coerce"].get(steps)) continue;
      FieldPolicy policy{std::string(name), {}};
      for (auto item : steps) {
        std::string_view step_name;
        std::optional<CoerceStep> step;
        if (!item.get(step_name)) step = parse_coerce_step(step_name);
        if (!step) {
          return config_error(fmt::format(
              "properties.{}.x-haul-coerce: unknown step {} (known: trim, empty_to_absent, "
              "null_to_absent, number, integer, string)",
              name, simdjson::to_string(item)));
        }
        policy.steps.push_back(*step);
      }
      out.fields_.push_back(std::move(policy));
    }
  }
  std::sort(out.fields_.begin(), out.fields_.end(),
            [](const auto& a, const auto& b) { return a.field < b.field; });
  simdjson::dom::array rules;
  if (!schema["x-haul-rules"].get(rules)) {
    std::size_t index = 0;
    for (auto rule : rules) {
      BusinessRule compiled;
      if (Status s = compile_rule(rule, index++, compiled); !s.is_ok()) return s;
      out.rules_.push_back(std::move(compiled));
    }
  }
  return Status::ok();
}

const FieldPolicy* RecordPolicy::field(std::string_view name) const {
  auto it = std::lower_bound(fields_.begin(), fields_.end(), name,
                             [](const FieldPolicy& p, std::string_view n) { return p.field < n; });
  return it != fields_.end() && it->field == name ? &*it : nullptr;
}

bool RecordPolicy::is_null_string(std::string_view text) const {
  return std::any_of(null_strings_.begin(), null_strings_.end(), [&](const std::string& s) {
    return s.size() == text.size() && ::strncasecmp(s.data(), text.data(), s.size()) == 0;
  });
}

void RecordPolicy::check_rules(std::span<const Field> fields, const Date& run_date,
                               ValidationErrors& errors) const {
  for (const BusinessRule& rule : rules_) {
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const Field& f) { return f.key == rule.field; });
    if (field == fields.end()) continue;
    auto value = number_of(field->value);
    if (!value) continue;
    // A field the schema already rejected (e.g. below its minimum) is not
    // reported a second time by a rule.
    bool already_reported =
        std::any_of(errors.begin(), errors.end(), [&](const ValidationError& e) {
          const auto* key = e.path.size() == 1 ? std::get_if<std::string>(&e.path[0]) : nullptr;
          return key && *key == rule.field;
        });
    if (already_reported) continue;
    double min = rule.min;
    double max = rule.kind == BusinessRule::Kind::kRange
                     ? rule.max
                     : static_cast<double>(run_date.year + rule.max_years_after_run);
    if (*value >= min && *value <= max) continue;
    std::string range = fmt::format("{} to {}", format_number(min), format_number(max));
    std::string message =
        rule.kind == BusinessRule::Kind::kRange
            ? fmt::format("{} {} is outside the reasonable range {}", rule.field,
                          format_number(*value), range)
            : fmt::format("{} {} is outside {} (at most {} years after the run date {})",
                          rule.field, format_number(*value), range, rule.max_years_after_run,
                          run_date.to_string());
    errors.push_back(ValidationError{{rule.field}, rule.code, std::move(message), range});
  }
}

}  // namespace haul::schema
