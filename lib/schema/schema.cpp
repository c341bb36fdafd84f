#include "schema/schema.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstring>
#include <deque>
#include <utility>
#include <vector>

#include "io/json_writer.hpp"
#include "schema/format_checks.hpp"
#include "util/utf8.hpp"

namespace haul::schema {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Deeper schemas are refused: the validator recurses as deep as the schema
// (never deeper, whatever the input), so this bounds its stack.
constexpr int kMaxDepth = 64;
// Values quoted in messages are cut here: a 10 MB string must not become a
// 10 MB error message in a failed file.
constexpr std::size_t kMaxQuotedCodePoints = 80;
// Lists in messages (enum values, declared fields) stop after this many.
constexpr std::size_t kMaxListedValues = 10;
// A schema literal (const, an enum value) is shown up to about this many bytes.
constexpr std::size_t kMaxRenderedLiteral = 200;

// ---------------------------------------------------------------------------
// Numbers

// A JSON number in the representation simdjson chose for it. Comparisons are
// exact across representations: going through double would make 2^53 + 1
// equal to 2^53 and let an out-of-range identifier through a bound.
struct Number {
  enum class Kind : std::uint8_t { Int, Uint, Double };
  Kind kind = Kind::Int;
  union {
    std::int64_t i = 0;
    std::uint64_t u;
    double d;
  };

  static Number of_int(std::int64_t v) {
    Number n;
    n.kind = Kind::Int;
    n.i = v;
    return n;
  }
  static Number of_uint(std::uint64_t v) {
    Number n;
    n.kind = Kind::Uint;
    n.u = v;
    return n;
  }
  static Number of_double(double v) {
    Number n;
    n.kind = Kind::Double;
    n.d = v;
    return n;
  }
};

// An integer against a double: compare with the double's integral part, and
// let its fraction break a tie. Bounds come first so the casts are defined.
std::partial_ordering compare_int_double(std::int64_t i, double d) {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  if (d < -0x1p63) return std::partial_ordering::greater;
  if (d >= 0x1p63) return std::partial_ordering::less;
  const double whole = std::trunc(d);
  const auto whole_int = static_cast<std::int64_t>(whole);
  if (i != whole_int) return i <=> whole_int;
  return whole <=> d;
}

std::partial_ordering compare_uint_double(std::uint64_t u, double d) {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  if (d < 0) return std::partial_ordering::greater;
  if (d >= 0x1p64) return std::partial_ordering::less;
  const double whole = std::trunc(d);
  const auto whole_uint = static_cast<std::uint64_t>(whole);
  if (u != whole_uint) return u <=> whole_uint;
  return whole <=> d;
}

std::partial_ordering compare_int_uint(std::int64_t i, std::uint64_t u) {
  if (i < 0) return std::partial_ordering::less;
  return static_cast<std::uint64_t>(i) <=> u;
}

std::partial_ordering reversed(std::partial_ordering order) { return 0 <=> order; }

std::partial_ordering compare(const Number& a, const Number& b) {
  using K = Number::Kind;
  switch (a.kind) {
    case K::Int:
      if (b.kind == K::Int) return a.i <=> b.i;
      if (b.kind == K::Uint) return compare_int_uint(a.i, b.u);
      return compare_int_double(a.i, b.d);
    case K::Uint:
      if (b.kind == K::Int) return reversed(compare_int_uint(b.i, a.u));
      if (b.kind == K::Uint) return a.u <=> b.u;
      return compare_uint_double(a.u, b.d);
    case K::Double:
      if (b.kind == K::Int) return reversed(compare_int_double(b.i, a.d));
      if (b.kind == K::Uint) return reversed(compare_uint_double(b.u, a.d));
      return a.d <=> b.d;
  }
  return std::partial_ordering::unordered;
}

// 2020-12 defines integers by value, so 1.0 is one.
bool is_integral(const Number& n) {
  return n.kind != Number::Kind::Double || (std::isfinite(n.d) && std::trunc(n.d) == n.d);
}

std::string to_string(const Number& n) {
  switch (n.kind) {
    case Number::Kind::Int:
      return std::to_string(n.i);
    case Number::Kind::Uint:
      return std::to_string(n.u);
    case Number::Kind::Double:
      break;
  }
  // Shortest round-trip digits, in plain notation where JavaScript would use
  // it: "2000000", not "2e+06".
  const double magnitude = std::fabs(n.d);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21);
  std::array<char, 48> buffer;
  const auto result = plain ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), n.d,
                                            std::chars_format::fixed)
                            : std::to_chars(buffer.data(), buffer.data() + buffer.size(), n.d);
  return std::string(buffer.data(), result.ptr);
}

// ---------------------------------------------------------------------------
// Values under validation

enum class Kind : std::uint8_t { Null, Boolean, Number, String, Array, Object };

// One value being validated, in whichever form it arrived: a document
// element, a coerced scalar, or a whole record given as its fields. Scalars
// are decoded once here, so the checks neither care about the form nor
// repeat simdjson's type dispatch.
struct Value {
  Kind kind = Kind::Null;
  bool boolean = false;
  Number number;
  std::string_view string;
  element container;              // Array, or Object from a document
  std::span<const Field> record;  // Object given as fields...
  bool is_record = false;         // ...when this is set
};

// The array or object of an element whose type() says it is one. Returned by
// value: iterating the temporary simdjson_result directly would dangle.
simdjson::dom::array array_of(element e) { return e.get_array().value_unsafe(); }
simdjson::dom::object object_of(element e) { return e.get_object().value_unsafe(); }

Value value_of(element e) {
  Value v;
  switch (e.type()) {
    case element_type::ARRAY:
      v.kind = Kind::Array;
      v.container = e;
      break;
    case element_type::OBJECT:
      v.kind = Kind::Object;
      v.container = e;
      break;
    case element_type::INT64:
      v.kind = Kind::Number;
      v.number = Number::of_int(e.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      v.kind = Kind::Number;
      v.number = Number::of_uint(e.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      v.kind = Kind::Number;
      v.number = Number::of_double(e.get_double().value_unsafe());
      break;
    case element_type::STRING:
      v.kind = Kind::String;
      v.string = e.get_string().value_unsafe();
      break;
    case element_type::BOOL:
      v.kind = Kind::Boolean;
      v.boolean = e.get_bool().value_unsafe();
      break;
    case element_type::NULL_VALUE:
      break;
  }
  return v;
}

Value value_of(const Coerced& c) {
  Value v;
  switch (c.kind) {
    case Coerced::Kind::Int:
      v.kind = Kind::Number;
      v.number = Number::of_int(c.i);
      break;
    case Coerced::Kind::Double:
      v.kind = Kind::Number;
      v.number = Number::of_double(c.d);
      break;
    case Coerced::Kind::String:
      v.kind = Kind::String;
      v.string = c.s;
      break;
  }
  return v;
}

Value value_of(const FieldValue& field) {
  if (const auto* e = std::get_if<element>(&field)) return value_of(*e);
  return value_of(std::get<Coerced>(field));
}

Value record_value(std::span<const Field> fields) {
  Value v;
  v.kind = Kind::Object;
  v.record = fields;
  v.is_record = true;
  return v;
}

// Calls visit(key, member) for each member of an object value until it
// returns false; returns false when it was stopped. The member is passed
// undecoded (an element or a FieldValue) for value_of(): a member no check
// looks at is never decoded.
template <class Visit>
bool for_each_member(const Value& object, Visit&& visit) {
  if (object.is_record) {
    for (const Field& field : object.record) {
      if (!visit(field.key, field.value)) return false;
    }
    return true;
  }
  const simdjson::dom::object members = object_of(object.container);
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (!visit(it.key(), it.value())) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Key lookup

// Field names are told apart by length and their first and last eight bytes
// far more often than not; probing settles the rest. Constant time, so
// hashing a long key costs no more than a short one.
std::uint32_t hash_key(std::string_view key) {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  if (key.size() >= 8) {
    std::memcpy(&head, key.data(), 8);
    std::memcpy(&tail, key.data() + key.size() - 8, 8);
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) {
      head |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
    }
  }
  const std::uint64_t h =
      (head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ key.size()) * 0xFF51AFD7ED558CCDULL;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

// Finds a key among a set fixed at compile time: an open-addressing table at
// most half full, so a lookup is one probe and one comparison in the common
// case. Every member of every record goes through here. The table depends
// on the schema alone, so no input can make a lookup slower than a scan.
class KeyIndex {
 public:
  explicit KeyIndex(const std::vector<std::string>& keys = {}) {
    std::size_t size = 1;
    while (size < 2 * keys.size()) size *= 2;
    slots_.resize(size);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::uint32_t hash = hash_key(keys[i]);
      std::size_t slot = hash & (slots_.size() - 1);
      while (slots_[slot].index_plus_one != 0) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = {hash, static_cast<std::uint32_t>(i + 1)};
    }
  }

  // Index into the keys the index was built from, or -1.
  std::ptrdiff_t find(std::string_view key, const std::vector<std::string>& keys) const {
    const std::uint32_t hash = hash_key(key);
    for (std::size_t slot = hash & (slots_.size() - 1);; slot = (slot + 1) & (slots_.size() - 1)) {
      const Slot& entry = slots_[slot];
      if (entry.index_plus_one == 0) return -1;
      if (entry.hash == hash && keys[entry.index_plus_one - 1] == key) {
        return entry.index_plus_one - 1;
      }
    }
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index_plus_one = 0;  // 0: empty
  };
  std::vector<Slot> slots_;
};

// ---------------------------------------------------------------------------
// Schema literals (const, enum)

// A value written in the schema, owned by the compiled schema.
struct Literal {
  Kind kind = Kind::Null;
  bool boolean = false;
  Number number;
  std::string string;
  std::vector<Literal> items;          // Array
  std::vector<std::string> keys;       // Object
  std::vector<Literal> member_values;  // Object: member_values[i] is keys[i]'s
  KeyIndex key_index;                  // Object: over `keys`
};

// JSON equality as 2020-12 defines it for const and enum: numbers by value
// (1 == 1.0), objects regardless of member order, arrays in order.
bool equals(const Literal& literal, const Value& value) {
  if (literal.kind != value.kind) return false;
  switch (literal.kind) {
    case Kind::Null:
      return true;
    case Kind::Boolean:
      return literal.boolean == value.boolean;
    case Kind::Number:
      return compare(literal.number, value.number) == 0;
    case Kind::String:
      return literal.string == value.string;
    case Kind::Array: {
      std::size_t index = 0;
      for (const element item : array_of(value.container)) {
        if (index == literal.items.size() || !equals(literal.items[index], value_of(item))) {
          return false;
        }
        ++index;
      }
      return index == literal.items.size();
    }
    case Kind::Object: {
      std::size_t matched = 0;
      const bool all_equal = for_each_member(value, [&](std::string_view key, const auto& member) {
        const std::ptrdiff_t index = literal.key_index.find(key, literal.keys);
        if (index < 0 || !equals(literal.member_values[index], value_of(member))) return false;
        ++matched;
        return true;
      });
      return all_equal && matched == literal.keys.size();
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Rendering values for messages

// `text` as a JSON string literal, cut after kMaxQuotedCodePoints code points.
std::string quote(std::string_view text) {
  std::size_t code_points = 0;
  std::size_t cut = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && code_points++ == kMaxQuotedCodePoints) {
      cut = i;
      break;
    }
  }
  std::string out;
  io::append_json_string(out, text.substr(0, cut));
  if (cut < text.size()) out.insert(out.size() - 1, "…");
  return out;
}

// Appends `literal` as compact JSON, giving up once `out` is past
// kMaxRenderedLiteral: the work stays bounded however big the literal.
void render_into(const Literal& literal, std::string& out) {
  if (out.size() > kMaxRenderedLiteral) return;
  switch (literal.kind) {
    case Kind::Null:
      out += "null";
      break;
    case Kind::Boolean:
      out += literal.boolean ? "true" : "false";
      break;
    case Kind::Number:
      out += to_string(literal.number);
      break;
    case Kind::String:
      out += quote(literal.string);
      break;
    case Kind::Array:
      out += '[';
      for (std::size_t i = 0; i < literal.items.size(); ++i) {
        if (i > 0) out += ',';
        render_into(literal.items[i], out);
      }
      out += ']';
      break;
    case Kind::Object:
      out += '{';
      for (std::size_t i = 0; i < literal.keys.size(); ++i) {
        if (i > 0) out += ',';
        out += quote(literal.keys[i]) + ":";
        render_into(literal.member_values[i], out);
      }
      out += '}';
      break;
  }
}

// A literal as compact JSON, cut with "…" when long.
std::string render(const Literal& literal) {
  std::string out;
  render_into(literal, out);
  if (out.size() > kMaxRenderedLiteral) {
    std::size_t cut = kMaxRenderedLiteral;
    while ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a code point boundary
    out.resize(cut);
    out += "…";
  }
  return out;
}

// A value as a message shows what it got: `string "abc"`, `integer 5`, `object`.
std::string describe(const Value& value) {
  switch (value.kind) {
    case Kind::Null:
      return "null";
    case Kind::Boolean:
      return value.boolean ? "boolean true" : "boolean false";
    case Kind::Number:
      return (value.number.kind == Number::Kind::Double ? "number " : "integer ") +
             to_string(value.number);
    case Kind::String:
      return "string " + quote(value.string);
    case Kind::Array:
      return "array";
    case Kind::Object:
      return "object";
  }
  return {};
}

// A value as the subject of a sentence: scalars as JSON, containers by kind.
std::string render(const Value& value) {
  switch (value.kind) {
    case Kind::Null:
      return "null";
    case Kind::Boolean:
      return value.boolean ? "true" : "false";
    case Kind::Number:
      return to_string(value.number);
    case Kind::String:
      return quote(value.string);
    case Kind::Array:
      return "array";
    case Kind::Object:
      return "object";
  }
  return {};
}

// "a, b, c" over at most kMaxListedValues items, then "…".
template <class Items, class Render>
std::string render_list(const Items& items, Render render_item) {
  if (items.empty()) return "(nothing)";
  std::string out;
  std::size_t listed = 0;
  for (const auto& item : items) {
    if (listed == kMaxListedValues) return out + ", …";
    if (listed++ > 0) out += ", ";
    out += render_item(item);
  }
  return out;
}

std::string characters(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

// ---------------------------------------------------------------------------
// Paths

// The location being checked, as a chain of frames on the validator's call
// stack: descending costs nothing, and a Path is built only for an error.
struct PathFrame {
  const PathFrame* parent;
  std::string_view key;
  std::size_t index;
  bool is_index;
};

Path to_path(const PathFrame* frame) {
  std::size_t depth = 0;
  for (const PathFrame* f = frame; f != nullptr; f = f->parent) ++depth;
  Path path(depth);
  for (const PathFrame* f = frame; f != nullptr; f = f->parent) {
    --depth;
    if (f->is_index) {
      path[depth] = f->index;
    } else {
      path[depth] = std::string(f->key);
    }
  }
  return path;
}

void report(ValidationErrors& errors, const PathFrame* at, const char* code, std::string message,
            std::string expected) {
  errors.push_back({to_path(at), code, std::move(message), std::move(expected)});
}

// ---------------------------------------------------------------------------
// The check plan

enum TypeBit : std::uint8_t {
  kNullType = 1 << 0,
  kBooleanType = 1 << 1,
  kIntegerType = 1 << 2,
  kNumberType = 1 << 3,
  kStringType = 1 << 4,
  kArrayType = 1 << 5,
  kObjectType = 1 << 6,
};
constexpr std::uint8_t kAnyType = 0x7F;

struct TypeName {
  std::string_view name;
  std::uint8_t bit;
};
constexpr TypeName kTypeNames[] = {
    {"null", kNullType},     {"boolean", kBooleanType}, {"integer", kIntegerType},
    {"number", kNumberType}, {"string", kStringType},   {"array", kArrayType},
    {"object", kObjectType},
};

// The type bits a value satisfies; an integral number satisfies "integer"
// and "number" both.
std::uint8_t type_bits(const Value& value) {
  switch (value.kind) {
    case Kind::Null:
      return kNullType;
    case Kind::Boolean:
      return kBooleanType;
    case Kind::Number:
      return kNumberType | (is_integral(value.number) ? kIntegerType : 0);
    case Kind::String:
      return kStringType;
    case Kind::Array:
      return kArrayType;
    case Kind::Object:
      return kObjectType;
  }
  return 0;
}

struct FormatCheck {
  std::string_view name;
  std::string_view description;  // completes "... is not a valid "
  bool (*is_valid)(std::string_view);
};
constexpr FormatCheck kFormatChecks[] = {
    {"date", "date (YYYY-MM-DD)", is_valid_date},
    {"date-time", "date-time (RFC 3339, e.g. 2024-01-15T09:30:00Z)", is_valid_date_time},
    {"email", "email address", is_valid_email},
    {"uri", "URI (RFC 3986, with a scheme, e.g. https://example.com/)", is_valid_uri},
};

struct Node;

// What the schema says about one key of an object: named by `properties`,
// by `required`, or by both.
struct Property {
  const Node* schema = nullptr;  // from `properties`; nullptr: not declared there
  int required_slot = -1;        // index into Node::required, or -1
};

// One compiled (sub)schema: every keyword decoded into the form its check
// needs. Keywords are grouped by the instance type they apply to, so a value
// skips every group but its own with one flag test.
struct Node {
  bool rejects_everything = false;  // the `false` schema

  std::uint8_t types = kAnyType;
  std::string types_text;  // "integer or string"

  std::optional<Literal> constant;
  std::string constant_text;
  std::optional<std::vector<Literal>> enum_values;
  std::string enum_text;  // "\"a\", \"b\", \"c\""

  bool has_number_checks = false;
  std::optional<Number> minimum, maximum, exclusive_minimum, exclusive_maximum;

  bool has_string_checks = false;
  std::optional<std::uint64_t> min_length, max_length;
  std::unique_ptr<RE2> pattern;
  std::string pattern_source;  // as the schema wrote it, for messages
  const FormatCheck* format = nullptr;

  bool has_object_checks = false;
  std::vector<Property> properties;        // declared ones in schema order, then required-only ones
  std::vector<std::string> property_keys;  // property_keys[i] is the key of properties[i]
  KeyIndex property_index;                 // over property_keys
  std::vector<std::size_t> required;       // indices into `properties`, in schema order
  bool additional_forbidden = false;
  const Node* additional = nullptr;
  std::string declared_text;  // the declared fields, for unrecognized ones

  const Node* items = nullptr;
};

const Property* find_property(const Node& node, std::string_view key) {
  const std::ptrdiff_t index = node.property_index.find(key, node.property_keys);
  return index < 0 ? nullptr : &node.properties[index];
}

// Which required properties an object has been seen to have: on the stack,
// unless a schema requires more keys than any real one does.
class RequiredSeen {
 public:
  explicit RequiredSeen(std::size_t slots) {
    if (slots > kInlineWords * 64) heap_.resize((slots + 63) / 64);
  }
  // Returns true when `slot` was not yet seen (duplicate keys count once).
  bool insert(std::size_t slot) {
    std::uint64_t& word = words()[slot / 64];
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    const bool added = (word & bit) == 0;
    word |= bit;
    return added;
  }
  bool contains(std::size_t slot) { return (words()[slot / 64] >> (slot % 64)) & 1; }

 private:
  static constexpr std::size_t kInlineWords = 4;
  std::uint64_t* words() { return heap_.empty() ? inline_.data() : heap_.data(); }
  std::array<std::uint64_t, kInlineWords> inline_{};
  std::vector<std::uint64_t> heap_;
};

// ---------------------------------------------------------------------------
// Validation. Recursion follows the schema, so its depth is bounded by
// kMaxDepth whatever the depth of the input.

void check(const Node& node, const Value& value, const PathFrame* at, ValidationErrors& errors);

void check_number(const Node& node, const Number& n, const PathFrame* at,
                  ValidationErrors& errors) {
  // A NaN from a coercion is unordered against every bound, so it fails all.
  if (node.minimum && !(compare(n, *node.minimum) >= 0)) {
    report(errors, at, code::kTooSmall,
           "must be >= " + to_string(*node.minimum) + ", got " + to_string(n),
           ">= " + to_string(*node.minimum));
  }
  if (node.exclusive_minimum && !(compare(n, *node.exclusive_minimum) > 0)) {
    report(errors, at, code::kTooSmall,
           "must be > " + to_string(*node.exclusive_minimum) + ", got " + to_string(n),
           "> " + to_string(*node.exclusive_minimum));
  }
  if (node.maximum && !(compare(n, *node.maximum) <= 0)) {
    report(errors, at, code::kTooBig,
           "must be <= " + to_string(*node.maximum) + ", got " + to_string(n),
           "<= " + to_string(*node.maximum));
  }
  if (node.exclusive_maximum && !(compare(n, *node.exclusive_maximum) < 0)) {
    report(errors, at, code::kTooBig,
           "must be < " + to_string(*node.exclusive_maximum) + ", got " + to_string(n),
           "< " + to_string(*node.exclusive_maximum));
  }
}

void check_string(const Node& node, std::string_view s, const PathFrame* at,
                  ValidationErrors& errors) {
  // A code point takes one to four bytes, so the byte count alone usually
  // settles a length bound; code points are counted only when it cannot.
  if (node.min_length && s.size() / 4 < *node.min_length) {
    const std::size_t length = utf8::count_code_points(s);
    if (length < *node.min_length) {
      report(
          errors, at, code::kTooSmall,
          "must have at least " + characters(*node.min_length) + ", got " + std::to_string(length),
          "at least " + characters(*node.min_length));
    }
  }
  if (node.max_length && s.size() > *node.max_length) {
    const std::size_t length = utf8::count_code_points(s);
    if (length > *node.max_length) {
      report(
          errors, at, code::kTooBig,
          "must have at most " + characters(*node.max_length) + ", got " + std::to_string(length),
          "at most " + characters(*node.max_length));
    }
  }
  if (node.pattern && !RE2::PartialMatch(s, *node.pattern)) {
    report(errors, at, code::kInvalidString,
           quote(s) + " does not match the pattern " + node.pattern_source,
           "pattern " + node.pattern_source);
  }
  if (node.format && !node.format->is_valid(s)) {
    report(errors, at, code::kInvalidFormat,
           quote(s) + " is not a valid " + std::string(node.format->description),
           std::string(node.format->name));
  }
}

void check_object(const Node& node, const Value& object, const PathFrame* at,
                  ValidationErrors& errors) {
  RequiredSeen seen(node.required.size());
  std::size_t required_present = 0;
  for_each_member(object, [&](std::string_view key, const auto& member) {
    const PathFrame frame{at, key, 0, false};
    const Property* property = find_property(node, key);
    if (property != nullptr && property->required_slot >= 0 &&
        seen.insert(static_cast<std::size_t>(property->required_slot))) {
      ++required_present;
    }
    if (property != nullptr && property->schema != nullptr) {
      check(*property->schema, value_of(member), &frame, errors);
    } else if (node.additional_forbidden) {
      report(errors, &frame, code::kUnrecognizedKeys, "unrecognized field " + quote(key),
             node.declared_text);
    } else if (node.additional != nullptr) {
      check(*node.additional, value_of(member), &frame, errors);
    }
    return true;
  });

  if (required_present == node.required.size()) return;
  for (std::size_t slot = 0; slot < node.required.size(); ++slot) {
    if (seen.contains(slot)) continue;
    const Property& property = node.properties[node.required[slot]];
    const std::string& key = node.property_keys[node.required[slot]];
    const PathFrame frame{at, key, 0, false};
    const bool typed = property.schema != nullptr && property.schema->types != kAnyType;
    report(errors, &frame, code::kRequired, "missing required field " + quote(key),
           typed ? property.schema->types_text : "a value");
  }
}

void check_items(const Node& items, const Value& array, const PathFrame* at,
                 ValidationErrors& errors) {
  std::size_t index = 0;
  for (const element item : array_of(array.container)) {
    const PathFrame frame{at, {}, index++, true};
    check(items, value_of(item), &frame, errors);
  }
}

void check(const Node& node, const Value& value, const PathFrame* at, ValidationErrors& errors) {
  if (node.rejects_everything) {
    report(errors, at, code::kNotAllowed, "no value is allowed here (the schema is false)",
           "nothing");
    return;
  }
  // Once the type is wrong, the checks for other types would only add noise.
  if (node.types != kAnyType && (type_bits(value) & node.types) == 0) {
    report(errors, at, code::kInvalidType,
           "expected " + node.types_text + ", got " + describe(value), node.types_text);
    return;
  }
  if (node.constant && !equals(*node.constant, value)) {
    report(errors, at, code::kInvalidLiteral,
           "must be " + node.constant_text + ", got " + describe(value), node.constant_text);
  }
  if (node.enum_values &&
      std::none_of(node.enum_values->begin(), node.enum_values->end(),
                   [&](const Literal& literal) { return equals(literal, value); })) {
    report(errors, at, code::kInvalidEnumValue, render(value) + " is not one of " + node.enum_text,
           "one of " + node.enum_text);
  }
  switch (value.kind) {
    case Kind::Number:
      if (node.has_number_checks) check_number(node, value.number, at, errors);
      break;
    case Kind::String:
      if (node.has_string_checks) check_string(node, value.string, at, errors);
      break;
    case Kind::Object:
      if (node.has_object_checks) check_object(node, value, at, errors);
      break;
    case Kind::Array:
      if (node.items != nullptr) check_items(*node.items, value, at, errors);
      break;
    case Kind::Null:
    case Kind::Boolean:
      break;
  }
}

// ---------------------------------------------------------------------------
// Patterns

// Long Unicode general category names ECMA-262 accepts, by the short names
// RE2 knows.
struct CategoryAlias {
  std::string_view long_name;
  std::string_view short_name;
};
constexpr CategoryAlias kCategoryAliases[] = {
    {"Letter", "L"},
    {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"},
    {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"},
    {"Mark", "M"},
    {"Combining_Mark", "M"},
    {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"},
    {"Enclosing_Mark", "Me"},
    {"Number", "N"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Letter_Number", "Nl"},
    {"Other_Number", "No"},
    {"Punctuation", "P"},
    {"punct", "P"},
    {"Connector_Punctuation", "Pc"},
    {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"},
    {"Close_Punctuation", "Pe"},
    {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"},
    {"Symbol", "S"},
    {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"},
    {"Modifier_Symbol", "Sk"},
    {"Other_Symbol", "So"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"},
    {"Other", "C"},
    {"Control", "Cc"},
    {"cntrl", "Cc"},
    {"Format", "Cf"},
    {"Surrogate", "Cs"},
    {"Private_Use", "Co"},
};

// The body of \p{...} in RE2's terms: "Script=Greek" → "Greek",
// "General_Category=Letter" and "Letter" → "L". Anything else is left for
// RE2 to accept or reject.
std::string_view translate_property(std::string_view name) {
  if (const std::size_t equals_sign = name.find('='); equals_sign != std::string_view::npos) {
    const std::string_view property = name.substr(0, equals_sign);
    const std::string_view property_value = name.substr(equals_sign + 1);
    if (property == "Script" || property == "sc" || property == "Script_Extensions" ||
        property == "scx") {
      return property_value;
    }
    if (property == "General_Category" || property == "gc") name = property_value;
  }
  for (const CategoryAlias& alias : kCategoryAliases) {
    if (alias.long_name == name) return alias.short_name;
  }
  return name;
}

// Parses the four hex digits at pattern[pos] into `unit`.
bool parse_utf16_unit(std::string_view pattern, std::size_t pos, std::uint32_t& unit) {
  if (pos + 4 > pattern.size()) return false;
  const char* begin = pattern.data() + pos;
  const auto [end, error] = std::from_chars(begin, begin + 4, unit, 16);
  return error == std::errc() && end == begin + 4;
}

std::string hex_escape(std::uint32_t code_point) {
  std::array<char, 8> digits;
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), code_point, 16);
  return "\\x{" + std::string(digits.data(), result.ptr) + "}";
}

// ECMA-262 (with the "u" flag JSON Schema implies) and RE2 agree on most
// syntax; this rewrites the common differences:
//  - \p{Letter}, \p{Script=Greek}, \p{gc=Lu}: RE2 knows only short category
//    names and bare script names;
//  - \uXXXX (surrogate pairs joined) and \u{X...}: RE2 spells them \x{...};
//  - (?<name>...): this RE2 accepts only (?P<name>...);
//  - \s, \S and ".": ECMA's white space and line terminators are Unicode-wide,
//    RE2's ASCII. (\S inside a class keeps RE2's meaning: it cannot nest.)
// What RE2 cannot do at all (lookaround, backreferences) passes through and
// fails to compile, which is reported.
std::string translate_ecma_pattern(std::string_view pattern) {
  static constexpr std::string_view kEcmaSpace =
      "\\t\\n\\x{0B}\\f\\r\\p{Zs}\\x{FEFF}\\x{2028}\\x{2029}";
  static constexpr std::string_view kEcmaDot = "[^\\n\\r\\x{2028}\\x{2029}]";
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char escaped = pattern[i + 1];
      if ((escaped == 'p' || escaped == 'P') && i + 2 < pattern.size() && pattern[i + 2] == '{') {
        const std::size_t close = pattern.find('}', i + 3);
        if (close != std::string_view::npos) {
          out += '\\';
          out += escaped;
          out += '{';
          out += translate_property(pattern.substr(i + 3, close - i - 3));
          out += '}';
          i = close;
          continue;
        }
      } else if (escaped == 'u') {
        std::uint32_t unit;
        if (i + 2 < pattern.size() && pattern[i + 2] == '{') {
          const std::size_t close = pattern.find('}', i + 3);
          if (close != std::string_view::npos) {
            out += "\\x";
            out += pattern.substr(i + 2, close - i - 1);
            i = close;
            continue;
          }
        } else if (parse_utf16_unit(pattern, i + 2, unit)) {
          std::uint32_t low;
          if (unit >= 0xD800 && unit <= 0xDBFF && i + 7 < pattern.size() &&
              pattern[i + 6] == '\\' && pattern[i + 7] == 'u' &&
              parse_utf16_unit(pattern, i + 8, low) && low >= 0xDC00 && low <= 0xDFFF) {
            out += hex_escape(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            i += 11;
          } else {
            out += hex_escape(unit);
            i += 5;
          }
          continue;
        }
      } else if (escaped == 's') {
        out += in_class ? std::string(kEcmaSpace) : "[" + std::string(kEcmaSpace) + "]";
        ++i;
        continue;
      } else if (escaped == 'S' && !in_class) {
        out += "[^" + std::string(kEcmaSpace) + "]";
        ++i;
        continue;
      }
      out += c;
      out += escaped;
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      out += c;
    } else if (c == '[') {
      in_class = true;
      out += c;
    } else if (c == '.') {
      out += kEcmaDot;
    } else if (pattern.substr(i, 3) == "(?<" && i + 3 < pattern.size() && pattern[i + 3] != '=' &&
               pattern[i + 3] != '!') {
      out += "(?P<";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Compilation

bool is_annotation(std::string_view keyword) {
  static constexpr std::string_view kAnnotations[] = {
      "$schema",  "$id",        "title",    "description", "default",          "examples",
      "$comment", "deprecated", "readOnly", "writeOnly",   "contentMediaType", "contentEncoding",
  };
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), keyword) !=
             std::end(kAnnotations) ||
         keyword.starts_with("x-");
}

// RFC 6901: "~" and "/" in a key are escaped as "~0" and "~1".
std::string pointer_token(std::string_view key) {
  std::string token;
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

std::optional<Number> number_of(element e) {
  switch (e.type()) {
    case element_type::INT64:
      return Number::of_int(e.get_int64().value_unsafe());
    case element_type::UINT64:
      return Number::of_uint(e.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return Number::of_double(e.get_double().value_unsafe());
    default:
      return std::nullopt;
  }
}

// Compiles one schema document into nodes. Every failure names the JSON
// pointer of what is wrong; the first one ends compilation.
class Compiler {
 public:
  Compiler(const CompileOptions& options, std::deque<Node>& nodes)
      : options_(options), nodes_(nodes) {}

  const std::string& error() const { return error_; }

  // Returns the node for the schema `schema` found at `pointer`, or nullptr.
  const Node* compile(element schema, const std::string& pointer, int depth) {
    if (depth > kMaxDepth) {
      fail(pointer, "schema is nested deeper than " + std::to_string(kMaxDepth) + " levels");
      return nullptr;
    }
    Node& node = nodes_.emplace_back();
    bool boolean_schema;
    if (schema.get_bool().get(boolean_schema) == simdjson::SUCCESS) {
      node.rejects_everything = !boolean_schema;
      return &node;
    }
    simdjson::dom::object keywords;
    if (schema.get_object().get(keywords) != simdjson::SUCCESS) {
      fail(pointer, "a schema must be an object or a boolean");
      return nullptr;
    }

    std::vector<std::pair<std::string_view, const Node*>> declared;
    std::vector<std::string_view> required;
    for (auto it = keywords.begin(); it != keywords.end(); ++it) {
      const std::string_view keyword = it.key();
      const element value = it.value();
      const std::string at = pointer + "/" + pointer_token(keyword);
      bool ok;
      if (keyword == "type") {
        ok = compile_type(node, value, at);
      } else if (keyword == "const") {
        node.constant.emplace();
        ok = compile_literal(*node.constant, value, at, 0);
        node.constant_text = render(*node.constant);
      } else if (keyword == "enum") {
        ok = compile_enum(node, value, at);
      } else if (keyword == "minimum") {
        ok = compile_bound(node.minimum, value, at);
      } else if (keyword == "maximum") {
        ok = compile_bound(node.maximum, value, at);
      } else if (keyword == "exclusiveMinimum") {
        ok = compile_bound(node.exclusive_minimum, value, at);
      } else if (keyword == "exclusiveMaximum") {
        ok = compile_bound(node.exclusive_maximum, value, at);
      } else if (keyword == "minLength") {
        ok = compile_length(node.min_length, value, at);
      } else if (keyword == "maxLength") {
        ok = compile_length(node.max_length, value, at);
      } else if (keyword == "pattern") {
        ok = compile_pattern(node, value, at);
      } else if (keyword == "format") {
        ok = compile_format(node, value, at);
      } else if (keyword == "properties") {
        ok = compile_properties(declared, value, at, depth);
      } else if (keyword == "required") {
        ok = compile_required(required, value, at);
      } else if (keyword == "additionalProperties") {
        ok = compile_additional(node, value, at, depth);
      } else if (keyword == "items") {
        ok = compile_items(node, value, at, depth);
      } else if (is_annotation(keyword)) {
        ok = true;
      } else {
        fail(at, "unsupported keyword \"" + std::string(keyword) + "\"");
        return nullptr;
      }
      if (!ok) return nullptr;
    }

    build_property_table(node, declared, required);
    node.has_number_checks =
        node.minimum || node.maximum || node.exclusive_minimum || node.exclusive_maximum;
    node.has_string_checks = node.min_length || node.max_length || node.pattern || node.format;
    node.has_object_checks =
        !node.properties.empty() || node.additional_forbidden || node.additional != nullptr;
    return &node;
  }

 private:
  bool fail(const std::string& pointer, const std::string& message) {
    error_ = (pointer.empty() ? "/" : pointer) + ": " + message;
    return false;
  }

  bool compile_type(Node& node, element value, const std::string& at) {
    std::vector<element> names;
    simdjson::dom::array list;
    if (value.get_array().get(list) == simdjson::SUCCESS) {
      for (const element name : list) names.push_back(name);
    } else {
      names.push_back(value);
    }
    node.types = 0;
    for (const element name_element : names) {
      std::string_view name;
      if (name_element.get_string().get(name) != simdjson::SUCCESS) {
        return fail(at, "type names must be strings");
      }
      const auto known = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                                      [&](const TypeName& t) { return t.name == name; });
      if (known == std::end(kTypeNames))
        return fail(at, "unknown type \"" + std::string(name) + "\"");
      if (!node.types_text.empty()) node.types_text += " or ";
      node.types_text += name;
      node.types |= known->bit;
    }
    if (node.types == 0) return fail(at, "type must name at least one type");
    return true;
  }

  bool compile_literal(Literal& literal, element value, const std::string& at, int depth) {
    if (depth > kMaxDepth) {
      return fail(at, "value is nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    const Value scalar = value_of(value);
    literal.kind = scalar.kind;
    literal.boolean = scalar.boolean;
    literal.number = scalar.number;
    literal.string = scalar.string;
    if (scalar.kind == Kind::Array) {
      for (const element item : array_of(value)) {
        if (!compile_literal(literal.items.emplace_back(), item, at, depth + 1)) return false;
      }
    } else if (scalar.kind == Kind::Object) {
      for (const auto member : object_of(value)) {
        literal.keys.emplace_back(member.key);
        if (!compile_literal(literal.member_values.emplace_back(), member.value, at, depth + 1)) {
          return false;
        }
      }
      literal.key_index = KeyIndex(literal.keys);
    }
    return true;
  }

  bool compile_enum(Node& node, element value, const std::string& at) {
    simdjson::dom::array list;
    if (value.get_array().get(list) != simdjson::SUCCESS) return fail(at, "enum must be an array");
    node.enum_values.emplace();
    std::size_t index = 0;
    for (const element item : list) {
      if (!compile_literal(node.enum_values->emplace_back(), item,
                           at + "/" + std::to_string(index++), 0)) {
        return false;
      }
    }
    node.enum_text = render_list(*node.enum_values, [](const Literal& l) { return render(l); });
    return true;
  }

  bool compile_bound(std::optional<Number>& bound, element value, const std::string& at) {
    bound = number_of(value);
    if (!bound) return fail(at, "must be a number");
    return true;
  }

  bool compile_length(std::optional<std::uint64_t>& length, element value, const std::string& at) {
    const std::optional<Number> n = number_of(value);
    if (!n || !is_integral(*n) || compare(*n, Number::of_int(0)) < 0) {
      return fail(at, "must be a non-negative integer");
    }
    switch (n->kind) {
      case Number::Kind::Int:
        length = static_cast<std::uint64_t>(n->i);
        break;
      case Number::Kind::Uint:
        length = n->u;
        break;
      case Number::Kind::Double:
        length = n->d >= 0x1p64 ? UINT64_MAX : static_cast<std::uint64_t>(n->d);
        break;
    }
    return true;
  }

  bool compile_pattern(Node& node, element value, const std::string& at) {
    std::string_view source;
    if (value.get_string().get(source) != simdjson::SUCCESS) return fail(at, "must be a string");
    RE2::Options options;
    options.set_log_errors(false);  // the error is returned to the caller instead
    node.pattern = std::make_unique<RE2>(translate_ecma_pattern(source), options);
    node.pattern_source = source;
    if (!node.pattern->ok()) {
      return fail(at, "invalid pattern " + quote(source) + ": " + node.pattern->error());
    }
    return true;
  }

  bool compile_format(Node& node, element value, const std::string& at) {
    std::string_view name;
    if (value.get_string().get(name) != simdjson::SUCCESS) return fail(at, "must be a string");
    if (!options_.format_assertion) return true;
    const auto known = std::find_if(std::begin(kFormatChecks), std::end(kFormatChecks),
                                    [&](const FormatCheck& f) { return f.name == name; });
    // Asserting an unknown format would silently skip a check the author
    // asked for; an annotation-only schema may name any format.
    if (known == std::end(kFormatChecks)) {
      return fail(at, "unsupported format \"" + std::string(name) +
                          "\" (supported: date, date-time, email, uri)");
    }
    node.format = known;
    return true;
  }

  bool compile_properties(std::vector<std::pair<std::string_view, const Node*>>& declared,
                          element value, const std::string& at, int depth) {
    simdjson::dom::object members;
    if (value.get_object().get(members) != simdjson::SUCCESS) {
      return fail(at, "properties must be an object");
    }
    for (const auto member : members) {
      const Node* schema = compile(member.value, at + "/" + pointer_token(member.key), depth + 1);
      if (schema == nullptr) return false;
      declared.emplace_back(member.key, schema);
    }
    return true;
  }

  bool compile_required(std::vector<std::string_view>& required, element value,
                        const std::string& at) {
    simdjson::dom::array list;
    if (value.get_array().get(list) != simdjson::SUCCESS)
      return fail(at, "required must be an array");
    for (const element item : list) {
      std::string_view key;
      if (item.get_string().get(key) != simdjson::SUCCESS) {
        return fail(at, "required must list strings");
      }
      required.push_back(key);
    }
    return true;
  }

  bool compile_additional(Node& node, element value, const std::string& at, int depth) {
    bool allowed;
    if (value.get_bool().get(allowed) == simdjson::SUCCESS) {
      node.additional_forbidden = !allowed;
      return true;
    }
    node.additional = compile(value, at, depth + 1);
    return node.additional != nullptr;
  }

  bool compile_items(Node& node, element value, const std::string& at, int depth) {
    if (value.type() == element_type::ARRAY) {
      return fail(at, "items must be a schema (the array form is prefixItems, not supported)");
    }
    node.items = compile(value, at, depth + 1);
    return node.items != nullptr;
  }

  // Merges `properties` and `required` into one table indexed for lookup, so
  // checking an object costs one lookup per member.
  static void build_property_table(
      Node& node, const std::vector<std::pair<std::string_view, const Node*>>& declared,
      const std::vector<std::string_view>& required) {
    auto property_for = [&](std::string_view key) -> std::size_t {
      const auto known = std::find(node.property_keys.begin(), node.property_keys.end(), key);
      if (known != node.property_keys.end()) return known - node.property_keys.begin();
      node.property_keys.emplace_back(key);
      node.properties.emplace_back();
      return node.properties.size() - 1;
    };
    for (const auto& [key, schema] : declared) node.properties[property_for(key)].schema = schema;
    // Slots follow the order of `required`, so missing fields are reported
    // in the order the schema lists them.
    for (const std::string_view key : required) {
      const std::size_t index = property_for(key);
      Property& property = node.properties[index];
      if (property.required_slot >= 0) continue;  // listed twice
      property.required_slot = static_cast<int>(node.required.size());
      node.required.push_back(index);
    }
    node.property_index = KeyIndex(node.property_keys);

    std::vector<std::string_view> declared_keys;
    for (std::size_t i = 0; i < node.properties.size(); ++i) {
      if (node.properties[i].schema != nullptr) declared_keys.push_back(node.property_keys[i]);
    }
    node.declared_text =
        declared_keys.empty()
            ? "no fields"
            : "one of " + render_list(declared_keys, [](std::string_view k) { return quote(k); });
  }

  const CompileOptions& options_;
  std::deque<Node>& nodes_;
  std::string error_;
};

}  // namespace

struct Schema::Impl {
  std::deque<Node> nodes;  // a deque: nodes point at each other, so they must not move
  const Node* root = nullptr;
};

std::optional<Schema> Schema::compile(std::string_view schema_json, const CompileOptions& options,
                                      std::string& error) {
  simdjson::dom::parser parser;
  element document;
  if (const auto parse_error = parser.parse(simdjson::padded_string(schema_json)).get(document);
      parse_error != simdjson::SUCCESS) {
    error = std::string("schema is not valid JSON: ") + simdjson::error_message(parse_error);
    return std::nullopt;
  }
  auto impl = std::make_unique<Impl>();
  Compiler compiler(options, impl->nodes);
  impl->root = compiler.compile(document, "", 0);
  if (impl->root == nullptr) {
    error = compiler.error();
    return std::nullopt;
  }
  return Schema(std::move(impl));
}

Schema::Schema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;
Schema::~Schema() = default;

bool Schema::validate(element value, ValidationErrors& errors) const {
  const std::size_t before = errors.size();
  check(*impl_->root, value_of(value), nullptr, errors);
  return errors.size() == before;
}

bool Schema::validate_record(std::span<const Field> fields, ValidationErrors& errors) const {
  const std::size_t before = errors.size();
  check(*impl_->root, record_value(fields), nullptr, errors);
  return errors.size() == before;
}

}  // namespace haul::schema
