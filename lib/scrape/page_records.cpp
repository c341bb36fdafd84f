#include "scrape/page_records.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <vector>

#include "io/json_writer.hpp"

namespace haul::scrape {
namespace {

namespace od = simdjson::ondemand;

std::string_view trim_json(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// The text of a value exactly as the source wrote it.
simdjson::error_code raw_value(od::value value, std::string_view& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    return object.raw_json().get(out);
  }
  if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    return array.raw_json().get(out);
  }
  out = trim_json(value.raw_json_token());
  return simdjson::SUCCESS;
}

std::optional<std::string> scalar_text(simdjson::dom::element element) {
  std::string_view text;
  if (!element.get(text)) return std::string(text);
  if (element.is_number()) {
    std::string out;
    io::JsonWriter(out).value(element);
    return out;
  }
  return std::nullopt;
}

// Reads the pagination hints and the records' location from the DOM, which
// also proves the whole body is valid JSON.
std::string read_document(simdjson::dom::element root, const PageContext& context,
                          PageRecords& page, simdjson::dom::element& records) {
  const source::FetchSpec& fetch = *context.fetch;
  if (root.at_pointer(fetch.records_pointer).get(records)) {
    return fmt::format("the JSON has no records at \"{}\"", fetch.records_pointer);
  }
  if (!records.is_array() && !records.is_object()) {
    return fmt::format("\"{}\" is a {}, not an array of records", fetch.records_pointer,
                       records.is_null() ? "null" : "scalar");
  }
  const source::Pagination& pagination = fetch.pagination;
  simdjson::dom::element hint;
  if (!pagination.total_pointer.empty() && !root.at_pointer(pagination.total_pointer).get(hint)) {
    std::int64_t total;
    if (!hint.get(total)) page.total = total;
    std::string_view text;
    if (!hint.get(text)) {
      if (std::from_chars(text.data(), text.data() + text.size(), total).ec == std::errc())
        page.total = total;
    }
  }
  if (!pagination.cursor_pointer.empty() && !root.at_pointer(pagination.cursor_pointer).get(hint)) {
    page.cursor = scalar_text(hint);
  }
  if (!pagination.next_pointer.empty() && !root.at_pointer(pagination.next_pointer).get(hint)) {
    std::string_view text;
    if (!hint.get(text) && !text.empty()) page.next_url = std::string(text);
  }
  if (!fetch.incremental_field.empty()) {
    auto consider = [&](simdjson::dom::element record) {
      simdjson::dom::element field;
      if (record[fetch.incremental_field].get(field)) return;
      auto text = scalar_text(field);
      if (text && (!page.max_incremental || bookmark_after(*text, *page.max_incremental)))
        page.max_incremental = std::move(text);
    };
    if (records.is_array()) {
      for (auto record : records.get_array()) consider(record);
    } else {
      consider(records);
    }
  }
  return {};
}

void append_meta(std::string& out, const PageContext& context, std::uint64_t index) {
  io::JsonWriter json(out);
  json.begin_object();
  json.field("source", context.source);
  json.field("request_url", context.request_url);
  json.field("page", context.page);
  json.field("index", index);
  json.field("scraped_at", context.scraped_at);
  json.end_object();
}

// One record: keys renamed, values copied, _meta appended.
simdjson::error_code write_record(od::value value, const PageContext& context, std::uint64_t index,
                                  std::string& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != od::json_type::object) {
    std::string_view raw;
    if (auto error = raw_value(value, raw)) return error;
    out.append(raw);  // not an object: validate rejects it with a reason
    return simdjson::SUCCESS;
  }
  od::object object;
  if (auto error = value.get_object().get(object)) return error;
  std::vector<std::string> keys;
  std::vector<std::string_view> values;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    keys.emplace_back(key == "_meta" ? "_source_meta" : key);
    std::string_view raw;
    if (auto error = raw_value(field.value(), raw)) return error;
    values.push_back(raw);
  }
  std::vector<std::string_view> views(keys.begin(), keys.end());
  std::vector<std::string> names =
      context.mapping ? context.mapping->map_keys(views) : std::vector<std::string>(keys);
  out.push_back('{');
  for (std::size_t i = 0; i < names.size(); ++i) {
    io::append_json_key(out, names[i]);
    out.append(values[i]);
    out.push_back(',');
  }
  io::append_json_key(out, "_meta");
  append_meta(out, context, index);
  out.push_back('}');
  return simdjson::SUCCESS;
}

}  // namespace

bool bookmark_after(const std::string& a, const std::string& b) {
  double x, y;
  auto [pa, ea] = std::from_chars(a.data(), a.data() + a.size(), x);
  auto [pb, eb] = std::from_chars(b.data(), b.data() + b.size(), y);
  if (ea == std::errc() && eb == std::errc() && pa == a.data() + a.size() &&
      pb == b.data() + b.size())
    return x > y;
  return a > b;
}

PageRecords extract_page(std::string_view body, const PageContext& context) {
  PageRecords page;
  simdjson::padded_string padded(body);
  simdjson::dom::parser dom_parser;
  simdjson::dom::element root, records;
  if (auto error = dom_parser.parse(padded).get(root)) {
    page.error = fmt::format("the body is not JSON: {}", simdjson::error_message(error));
    return page;
  }
  if (std::string error = read_document(root, context, page, records); !error.empty()) {
    page.error = std::move(error);
    return page;
  }

  od::parser parser;
  od::document document;
  od::value located;
  auto fail = [&](simdjson::error_code error) {
    page = PageRecords();
    page.error = fmt::format("cannot copy the records: {}", simdjson::error_message(error));
    return page;
  };
  if (auto error = parser.iterate(padded).get(document)) return fail(error);
  std::string& out = page.file_text;
  out = "[\n";
  if (records.is_object()) {
    if (auto error = document.at_pointer(context.fetch->records_pointer).get(located))
      return fail(error);
    if (auto error = write_record(located, context, 0, out)) return fail(error);
    page.records = 1;
  } else {
    od::array array;
    if (context.fetch->records_pointer.empty()) {
      if (auto error = document.get_array().get(array)) return fail(error);
    } else {
      if (auto error = document.at_pointer(context.fetch->records_pointer).get(located))
        return fail(error);
      if (auto error = located.get_array().get(array)) return fail(error);
    }
    for (auto item : array) {
      od::value value;
      if (auto error = item.get(value)) return fail(error);
      if (page.records > 0) out.append(",\n");
      if (auto error = write_record(value, context, page.records, out)) return fail(error);
      ++page.records;
    }
  }
  out.append("\n]\n");
  if (page.records == 0) out = "[]\n";
  return page;
}

}  // namespace haul::scrape
