#include "source/fetch_spec_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <type_traits>

#include "io/json_writer.hpp"
#include "source/request_template.hpp"
#include "source/source_presets.hpp"

namespace haul::source {
namespace {

using simdjson::dom::element;

// Reads optional members of one object, remembering the first mistake.
class Fields {
 public:
  Fields(element object, std::string where, std::string& error)
      : object_(object), where_(std::move(where)), error_(error) {}

  bool ok() const { return error_.empty(); }
  bool has(const char* key) const {
    element member;
    return !object_[key].get(member);
  }
  void string(const char* key, std::string& out) {
    element member;
    if (!ok() || object_[key].get(member)) return;
    std::string_view text;
    if (member.get(text)) return fail(key, "must be a string");
    out = text;
  }
  void boolean(const char* key, bool& out) {
    element member;
    if (!ok() || object_[key].get(member)) return;
    if (member.get(out)) fail(key, "must be true or false");
  }
  template <typename Number>
  void number(const char* key, Number& out, double min, double max) {
    element member;
    if (!ok() || object_[key].get(member)) return;
    double value;
    if (member.get(value) || value < min || value > max ||
        (std::is_integral_v<Number> &&
         value != static_cast<double>(static_cast<std::int64_t>(value)))) {
      return fail(key,
                  fmt::format("must be a {} from {} to {}",
                              std::is_integral_v<Number> ? "whole number" : "number", min, max));
    }
    out = static_cast<Number>(value);
  }
  void string_map(const char* key, std::vector<std::pair<std::string, std::string>>& out) {
    element member;
    if (!ok() || object_[key].get(member)) return;
    simdjson::dom::object map;
    if (member.get(map)) return fail(key, "must be an object of strings");
    for (auto [name, value] : map) {
      std::string_view text;
      if (value.get(text)) return fail(key, fmt::format("\"{}\" must be a string", name));
      auto existing = std::find_if(out.begin(), out.end(), [&, wanted = name](const auto& entry) {
        return strings_equal_ignoring_case(entry.first, wanted);
      });
      if (existing != out.end()) {
        existing->second = text;
      } else {
        out.emplace_back(name, text);
      }
    }
  }
  void string_list(const char* key, std::vector<std::string>& out) {
    element member;
    if (!ok() || object_[key].get(member)) return;
    simdjson::dom::array list;
    if (member.get(list)) return fail(key, "must be an array of strings");
    out.clear();
    for (element item : list) {
      std::string_view text;
      if (item.get(text)) return fail(key, "must be an array of strings");
      out.emplace_back(text);
    }
  }
  bool object(const char* key, element& out) {
    element member;
    if (!ok() || object_[key].get(member)) return false;
    if (!member.is_object()) {
      fail(key, "must be an object");
      return false;
    }
    out = member;
    return true;
  }
  void fail(const char* key, const std::string& message) {
    if (ok()) error_ = fmt::format("{}.{} {}", where_, key, message);
  }
  const std::string& where() const { return where_; }
  // The fields of a member object ("pagination"), reporting into the same error.
  bool child(const char* key, std::optional<Fields>& out) {
    element member;
    if (!object(key, member)) return false;
    out.emplace(member, where_ + "." + key, error_);
    return true;
  }

 private:
  static bool strings_equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  }
  element object_;
  std::string where_;
  std::string& error_;
};

bool is_json_pointer(std::string_view pointer) { return pointer.empty() || pointer[0] == '/'; }

void read_pagination(Fields& source, Pagination& pagination) {
  std::optional<Fields> fields;
  if (!source.child("pagination", fields)) return;
  std::string kind;
  fields->string("type", kind);
  if (!kind.empty()) {
    static const PaginationKind kKinds[] = {PaginationKind::kNone, PaginationKind::kPage,
                                            PaginationKind::kOffset, PaginationKind::kCursor,
                                            PaginationKind::kNextLink};
    auto it = std::find_if(std::begin(kKinds), std::end(kKinds),
                           [&](PaginationKind k) { return kind == pagination_name(k); });
    if (it == std::end(kKinds)) {
      return fields->fail("type", "must be none, page, offset, cursor or next_link");
    }
    pagination.kind = *it;
  }
  fields->number("first", pagination.first, 0, 1e15);
  fields->number("page_size", pagination.page_size, 0, 1e9);
  fields->number("max_pages", pagination.max_pages, 1, 1e6);
  fields->string("total_pointer", pagination.total_pointer);
  fields->string("total_header", pagination.total_header);
  fields->string("cursor_pointer", pagination.cursor_pointer);
  fields->string("next_pointer", pagination.next_pointer);
  for (auto [key, pointer] : {std::pair{"total_pointer", &pagination.total_pointer},
                              {"cursor_pointer", &pagination.cursor_pointer},
                              {"next_pointer", &pagination.next_pointer}}) {
    if (!is_json_pointer(*pointer)) fields->fail(key, "must be a JSON Pointer (\"/a/b\")");
  }
  if (pagination.kind == PaginationKind::kCursor && pagination.cursor_pointer.empty()) {
    fields->fail("cursor_pointer", "is required by cursor pagination");
  }
  if (pagination.kind == PaginationKind::kOffset && pagination.page_size <= 0) {
    fields->fail("page_size", "is required by offset pagination (the {limit})");
  }
}

void read_politeness(Fields& source, Politeness& politeness) {
  std::optional<Fields> fields;
  if (!source.child("politeness", fields)) return;
  fields->number("concurrency", politeness.concurrency, 1, 256);
  fields->number("host_concurrency", politeness.host_concurrency, 1, 256);
  fields->number("min_delay_s", politeness.min_delay_s, 0, 3600);
  fields->number("jitter_s", politeness.jitter_s, 0, 3600);
  fields->number("requests_per_second", politeness.requests_per_second, 0, 100000);
  fields->boolean("robots", politeness.robots);
}

void read_retry(Fields& source, http::RetryPolicy& retry) {
  std::optional<Fields> fields;
  if (!source.child("retry", fields)) return;
  fields->number("max_retries", retry.max_retries, 0, 100);
  fields->number("base_delay_s", retry.base_delay_s, 0, 3600);
  fields->number("max_delay_s", retry.max_delay_s, 0, 86400);
  fields->number("max_total_s", retry.max_total_s, 0, 86400);
  fields->number("retry_after_cap_s", retry.retry_after_cap_s, 0, 86400);
}

// Placeholders a template may use: the request values and the params.
void check_placeholders(Fields& fields, const char* key, std::string_view pattern,
                        const FetchSpec& spec) {
  static constexpr std::string_view kBuiltIn[] = {"date",  "page",   "offset",
                                                  "limit", "cursor", "since"};
  for (const std::string& name : placeholder_names(pattern)) {
    bool known = std::find(std::begin(kBuiltIn), std::end(kBuiltIn), name) != std::end(kBuiltIn) ||
                 std::any_of(spec.params.begin(), spec.params.end(),
                             [&](const auto& p) { return p.first == name; });
    if (!known) {
      fields.fail(key, fmt::format("uses {{{}}}, which is neither a request value (date, page, "
                                   "offset, limit, cursor, since) nor one of its params",
                                   name));
    }
  }
}

}  // namespace

bool read_fetch_spec(element source, const std::string& where, FetchSpec& spec,
                     std::string& error) {
  Fields fields(source, where, error);
  std::string preset = "generic";
  fields.string("preset", preset);
  if (!fields.ok()) return false;
  if (!apply_preset(preset, spec)) {
    fields.fail("preset", fmt::format("\"{}\" is not a preset ({})", preset,
                                      fmt::join(preset_names(), ", ")));
    return false;
  }
  fields.string("method", spec.method);
  std::transform(spec.method.begin(), spec.method.end(), spec.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (spec.method != "GET" && spec.method != "POST") fields.fail("method", "must be GET or POST");
  fields.string("url", spec.url);
  fields.string_map("headers", spec.headers);
  fields.string_map("params", spec.params);
  element body;
  if (!source["body"].get(body)) {
    std::string_view text;
    if (!body.get(text)) {
      spec.body = text;
    } else {
      spec.body.clear();
      io::JsonWriter(spec.body).value(body);
    }
  }
  if (fields.has("records")) {
    fields.string("records", spec.records_pointer);
    if (!is_json_pointer(spec.records_pointer)) {
      fields.fail("records",
                  "must be a JSON Pointer (\"/data/items\", or \"\" for the whole body)");
    }
  }
  read_pagination(fields, spec.pagination);
  read_politeness(fields, spec.politeness);
  read_retry(fields, spec.retry);
  fields.number("connect_timeout_s", spec.connect_timeout_s, 0.1, 3600);
  fields.number("timeout_s", spec.timeout_s, 0.1, 86400);
  fields.number("max_response_bytes", spec.max_response_bytes, 1024, 1e12);
  fields.string_list("proxies", spec.proxies);
  fields.number("proxy_ban_s", spec.proxy_ban_s, 0, 86400);
  fields.boolean("conditional", spec.conditional);
  fields.string("ca_bundle", spec.ca_bundle);
  std::optional<Fields> incremental;
  if (fields.child("incremental", incremental)) {
    incremental->string("field", spec.incremental_field);
    incremental->string("start", spec.incremental_start);
  }
  if (!fields.ok()) return false;
  if (!spec.url.empty() && spec.url.rfind("http://", 0) != 0 &&
      spec.url.rfind("https://", 0) != 0 && spec.url.rfind("${", 0) != 0) {
    fields.fail("url", "must be an http:// or https:// URL");
  }
  check_placeholders(fields, "url", spec.url, spec);
  check_placeholders(fields, "body", spec.body, spec);
  for (const auto& [name, value] : spec.headers) check_placeholders(fields, "headers", value, spec);
  return fields.ok();
}

bool read_scrape_settings(element root, ScrapeSettings& settings, std::string& error) {
  element object;
  if (root["scrape"].get(object)) return true;
  if (!object.is_object()) {
    error = "scrape must be an object";
    return false;
  }
  Fields fields(object, "scrape", error);
  fields.string("user_agent", settings.user_agent);
  fields.string("contact", settings.contact);
  fields.number("concurrency", settings.concurrency, 1, 1024);
  fields.string("ca_bundle", settings.ca_bundle);
  return fields.ok();
}

}  // namespace haul::source
