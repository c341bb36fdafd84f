#include "validate/record_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "io/json_writer.hpp"

namespace haul::validate {
namespace {

using schema::Coerced;
using schema::FieldValue;

constexpr std::string_view kMetaKey = "_meta";

bool is_provenance_key(std::string_view key) {
  return key == "source" || key == "type" || key == "raw_file" || key == "raw_index" ||
         key == "raw_offset" || key == "raw_line";
}

void write_value(io::JsonWriter& json, const FieldValue& value) {
  if (const auto* element = std::get_if<simdjson::dom::element>(&value)) {
    json.value(*element);
    return;
  }
  const auto& coerced = std::get<Coerced>(value);
  switch (coerced.kind) {
    case Coerced::Kind::Int:
      json.value(coerced.i);
      break;
    case Coerced::Kind::Double:
      json.value(coerced.d);
      break;
    case Coerced::Kind::String:
      json.value(coerced.s);
      break;
  }
}

std::optional<std::string_view> string_of(const FieldValue& value) {
  if (const auto* coerced = std::get_if<Coerced>(&value)) {
    if (coerced->kind == Coerced::Kind::String) return coerced->s;
    return std::nullopt;
  }
  std::string_view text;
  if (std::get<simdjson::dom::element>(value).get(text)) return std::nullopt;
  return text;
}

// The text of a scalar, as a template or the `string` coercion sees it.
std::optional<std::string> text_of(const FieldValue& value) {
  if (auto text = string_of(value)) return std::string(*text);
  std::string out;
  io::JsonWriter json(out);
  if (std::holds_alternative<Coerced>(value)) {
    write_value(json, value);
    return out;
  }
  auto element = std::get<simdjson::dom::element>(value);
  if (!element.is_number()) return std::nullopt;
  json.value(element);
  return out;
}

}  // namespace

std::string meta_prefix(std::string_view source, std::string_view type, std::string_view raw_file) {
  std::string prefix;
  io::JsonWriter json(prefix);
  json.begin_object();
  json.field("source", source);
  json.field("type", type);
  json.field("raw_file", raw_file);
  json.key("raw_index");
  return prefix;
}

void write_meta(io::JsonWriter& json, const Provenance& provenance,
                const simdjson::dom::object* input_meta) {
  std::string& out = json.buffer();
  json.raw(provenance.serialized_prefix.empty()
               ? meta_prefix(provenance.source, provenance.type, provenance.raw_file)
               : provenance.serialized_prefix);
  char number[24];
  for (auto [name, value] : {std::pair{"", provenance.index},
                             {",\"raw_offset\":", provenance.offset},
                             {",\"raw_line\":", provenance.line}}) {
    out.append(name);
    auto end = std::to_chars(number, number + sizeof number, value).ptr;
    out.append(number, static_cast<std::size_t>(end - number));
  }
  if (input_meta) {
    for (auto [key, value] : *input_meta) {
      if (is_provenance_key(key)) continue;
      out.push_back(',');
      io::append_json_key(out, key);
      io::JsonWriter(out).value(value);
    }
  }
  out.push_back('}');
}

std::string_view RecordChecker::keep(std::string text) {
  owned_.push_back(std::move(text));
  return owned_.back();
}

const RecordChecker::Slot* RecordChecker::find(std::string_view key) const {
  for (const Slot& slot : slots_) {
    if (!slot.absent && slot.key == key) return &slot;
  }
  return nullptr;
}

const RecordChecker::ResolvedKey& RecordChecker::resolve(std::size_t position, std::string_view key,
                                                         const source::FieldMapping* mapping) {
  if (position < resolved_.size()) {
    const ResolvedKey& cached = *resolved_[position];
    if (cached.mapping == mapping && std::string_view(cached.key) == key) return cached;
  }
  while (position >= resolved_.size()) resolved_.push_back(std::make_unique<ResolvedKey>());
  ResolvedKey& entry = *resolved_[position];
  ++resolved_misses_;
  entry.key.assign(key);
  entry.mapping = mapping;
  std::string_view name = mapping ? mapping->canonical_name(key) : key;
  entry.canonical = name != key ? name : std::string_view();
  entry.policy = policy_.field(name);
  entry.serialized_key.clear();
  io::append_json_key(entry.serialized_key, name);
  return entry;
}

void RecordChecker::map_fields(simdjson::dom::object record, const source::FieldMapping* mapping,
                               schema::ValidationErrors& errors) {
  std::size_t position = 0;
  for (auto [key, value] : record) {
    if (key == kMetaKey) {
      if (!value.get(input_meta_)) has_input_meta_ = true;
      continue;
    }
    const ResolvedKey& resolved = resolve(position++, key, mapping);
    bool renamed = !resolved.canonical.empty();
    slots_.push_back(Slot{renamed ? resolved.canonical : key, value, renamed, false,
                          resolved.policy, resolved.serialized_key});
  }
  // A record whose keys are a prefix of a layout already found free of
  // duplicates has none either: most records skip the check below.
  bool layout_changed = resolved_misses_ > 0;
  resolved_misses_ = 0;
  if (!layout_changed && layout_free_of_duplicates_) return;
  std::size_t errors_before = errors.size();

  // Duplicate names: a rename that collides with a field the record already
  // has under the canonical name is undone (the canonical field wins and the
  // source field stays as it was); a key the input itself repeats is an error.
  bool collisions = false;
  sorted_keys_.clear();
  for (std::size_t i = 0; i < slots_.size(); ++i) sorted_keys_.emplace_back(slots_[i].key, i);
  std::sort(sorted_keys_.begin(), sorted_keys_.end());
  for (std::size_t i = 1; i < sorted_keys_.size(); ++i) {
    if (sorted_keys_[i].first != sorted_keys_[i - 1].first) continue;
    Slot& a = slots_[sorted_keys_[i - 1].second];
    Slot& b = slots_[sorted_keys_[i].second];
    collisions = true;
    if (a.renamed || b.renamed) {
      Slot& renamed = a.renamed ? a : b;
      std::size_t index = &renamed - slots_.data();
      // Recover the source name from the record: slots are in record order,
      // skipping _meta.
      std::size_t position = 0;
      for (auto [key, value] : record) {
        if (key == kMetaKey) continue;
        if (position++ == index) {
          renamed.key = key;
          renamed.policy = policy_.field(key);
          renamed.serialized_key = {};
          break;
        }
      }
      renamed.renamed = false;
    } else {
      errors.push_back(schema::ValidationError{
          {std::string(b.key)},
          "duplicate_key",
          fmt::format("field \"{}\" appears more than once in the record", b.key),
          "unique field names"});
    }
  }
  if (layout_changed) {
    layout_free_of_duplicates_ =
        !collisions && errors.size() == errors_before && slots_.size() == resolved_.size();
  }
}

void RecordChecker::coerce(Slot& slot) {
  const schema::FieldPolicy* policy = slot.policy;
  if (!policy) return;
  for (schema::CoerceStep step : policy->steps) {
    if (slot.absent) return;
    auto text = string_of(slot.value);
    switch (step) {
      case schema::CoerceStep::kTrim:
        if (text) slot.value = Coerced{Coerced::Kind::String, 0, 0, schema::trim_whitespace(*text)};
        break;
      case schema::CoerceStep::kEmptyToAbsent:
        if (text && text->empty()) slot.absent = true;
        break;
      case schema::CoerceStep::kNullToAbsent: {
        const auto* element = std::get_if<simdjson::dom::element>(&slot.value);
        if ((element && element->is_null()) || (text && policy_.is_null_string(*text))) {
          slot.absent = true;
        }
        break;
      }
      case schema::CoerceStep::kNumber:
      case schema::CoerceStep::kInteger:
        if (text) {
          auto number = schema::parse_number_text(*text);
          if (number &&
              (step == schema::CoerceStep::kNumber || number->kind == Coerced::Kind::Int)) {
            slot.value = *number;
          }
        }
        break;
      case schema::CoerceStep::kString:
        if (!text) {
          const auto* element = std::get_if<simdjson::dom::element>(&slot.value);
          bool number = element ? element->is_number()
                                : std::get<Coerced>(slot.value).kind != Coerced::Kind::String;
          if (number) {
            slot.value = Coerced{Coerced::Kind::String, 0, 0, keep(*text_of(slot.value))};
          }
        }
        break;
    }
  }
}

void RecordChecker::add_slot(std::string_view key, schema::FieldValue value) {
  Slot& slot = slots_.emplace_back();
  slot.key = key;
  slot.value = value;
}

void RecordChecker::add_constants(const source::FieldMapping& mapping) {
  for (const auto& [name, constant] : mapping.set) {
    if (!find(name)) add_slot(name, Coerced{Coerced::Kind::String, 0, 0, constant});
  }
  for (const auto& [name, pattern] : mapping.derive) {
    if (find(name)) continue;
    auto text = source::expand_template(pattern, [&](std::string_view field) {
      const Slot* slot = find(field);
      return slot ? text_of(slot->value) : std::nullopt;
    });
    if (text) add_slot(name, Coerced{Coerced::Kind::String, 0, 0, keep(*text)});
  }
}

bool RecordChecker::check(simdjson::dom::element record, const source::FieldMapping* mapping,
                          const Provenance& provenance, std::string& out,
                          schema::ValidationErrors& errors) {
  slots_.clear();
  owned_.clear();
  has_input_meta_ = false;
  simdjson::dom::object object;
  if (record.get(object)) {
    errors.push_back(
        schema::ValidationError{{},
                                schema::code::kNotAnObject,
                                fmt::format("a record must be a JSON object, got {}",
                                            record.is_array() ? "an array" : "a scalar value"),
                                "object"});
    return false;
  }
  map_fields(object, mapping, errors);
  for (Slot& slot : slots_) coerce(slot);
  if (mapping) add_constants(*mapping);

  fields_.clear();
  present_.clear();
  for (const Slot& slot : slots_) {
    if (slot.absent) continue;
    fields_.push_back(schema::Field{slot.key, slot.value});
    present_.push_back(&slot);
  }
  schema_.validate_record(fields_, errors);
  policy_.check_rules(fields_, run_date_, errors);
  if (!errors.empty()) return false;

  io::JsonWriter json(out);
  json.begin_object();
  for (const Slot* slot : present_) {
    if (slot->serialized_key.empty()) {
      json.key(slot->key);
    } else {
      json.serialized_key(slot->serialized_key);
    }
    write_value(json, slot->value);
  }
  json.key(kMetaKey);
  write_meta(json, provenance, has_input_meta_ ? &input_meta_ : nullptr);
  json.end_object();
  return true;
}

}  // namespace haul::validate
