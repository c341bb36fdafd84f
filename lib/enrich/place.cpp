#include "enrich/place.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <vector>

#include "enrich/regions.hpp"
#include "util/utf8.hpp"

namespace haul::enrich {
namespace {

// Longer text is not an address (and would only cost time).
constexpr std::size_t kMaxAddressBytes = 1000;
constexpr std::size_t kMaxCityBytes = 100;
constexpr std::size_t kMaxStreetBytes = 200;

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return upper(c); });
  return out;
}

// Valid UTF-8, whitespace runs as one space, trimmed; case kept.
std::string clean(std::string_view text) {
  std::string valid = utf8::first_invalid_offset(text) ? utf8::sanitize(text) : std::string(text);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) end = text.size();
    std::string part = clean(text.substr(begin, end - begin));
    if (!part.empty()) parts.push_back(std::move(part));
    begin = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t to,
                 std::string_view separator) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += separator;
    out += words[i];
  }
  return out;
}

// Canada Post: letter digit letter, digit letter digit; D F I O Q U never
// appear, W and Z not first.
std::optional<std::string> canadian_postcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c != ' ') compact += upper(c);
  }
  if (compact.size() != 6) return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i) {
    const char c = compact[i];
    if (i % 2 == 0) {
      if (!is_alpha(c) || std::string_view("DFIOQU").find(c) != std::string_view::npos) {
        return std::nullopt;
      }
      if (i == 0 && (c == 'W' || c == 'Z')) return std::nullopt;
    } else if (!is_digit(c)) {
      return std::nullopt;
    }
  }
  return compact.substr(0, 3) + " " + compact.substr(3);
}

// 12345 or 12345-6789.
std::optional<std::string> us_zip(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count), is_digit);
  };
  if (text.size() == 5 && digits(0, 5)) return std::string(text);
  if (text.size() == 10 && digits(0, 5) && text[5] == '-' && digits(6, 4)) return std::string(text);
  return std::nullopt;
}

std::optional<std::string> postcode_of(std::string_view text) {
  if (auto zip = us_zip(text)) return zip;
  return canadian_postcode(text);
}

std::string_view postcode_country(std::string_view postcode) {
  if (postcode.empty()) return {};
  return is_alpha(postcode[0]) ? "CA" : "US";
}

// A state or province as a code ("tx") or a full name ("Texas").
std::string region_of(std::string_view text, std::string_view country = {}) {
  if (text.size() == 2 && is_alpha(text[0]) && is_alpha(text[1])) {
    const std::string code = upper(text);
    const std::string_view code_country = region_code_country(code);
    if (!code_country.empty() && (country.empty() || country == code_country)) return code;
    return {};
  }
  return std::string(region_code_for_name(text, country));
}

std::string country_of(std::string_view text, bool allow_ca_code) {
  const std::string key = place_key(text);
  if (key == "us" || key == "usa" || key == "u s" || key == "u s a" || key == "united states" ||
      key == "united states of america" || key == "america") {
    return "US";
  }
  if (key == "canada" || (allow_ca_code && key == "ca")) return "CA";
  return {};
}

bool is_placeholder(std::string_view text) {
  const std::string key = place_key(text);
  return key == "n/a" || key == "n a" || key == "na" || key == "none" || key == "null" ||
         key == "unknown" || key == "undefined" || key == "tbd";
}

// A city name: some letters, not too long, not a placeholder.
std::string city_of(std::string_view text) {
  std::string city = clean(text);
  if (city.size() > kMaxCityBytes || is_placeholder(city)) return {};
  if (std::none_of(city.begin(), city.end(),
                   [](char c) { return is_alpha(c) || static_cast<unsigned char>(c) >= 0x80; })) {
    return {};
  }
  return city;
}

// Takes a postcode from the end of `words` (one word, or "A1A 1A1" as two).
bool take_postcode(std::vector<std::string>& words, Place& place) {
  if (words.empty()) return false;
  if (words.size() >= 2 && words[words.size() - 2].size() == 3 && words.back().size() == 3) {
    if (auto code = canadian_postcode(words[words.size() - 2] + words.back())) {
      place.postcode = *code;
      words.resize(words.size() - 2);
      return true;
    }
  }
  if (auto code = postcode_of(words.back())) {
    place.postcode = *code;
    words.pop_back();
    return true;
  }
  return false;
}

// Takes a region from the end of `words`: a code, or a name of up to four words.
bool take_region(std::vector<std::string>& words, Place& place) {
  for (std::size_t n = std::min<std::size_t>(4, words.size()); n >= 1; --n) {
    const std::string text = join(words, words.size() - n, words.size(), " ");
    std::string code = region_of(text);
    if (!code.empty()) {
      place.region = std::move(code);
      words.resize(words.size() - n);
      return true;
    }
  }
  return false;
}

// Two letters, or up to ten letters, digits and '-' with a digit among them.
bool is_code_like(const std::string& word) {
  if (word.size() == 2 && is_alpha(word[0]) && is_alpha(word[1])) return true;
  return word.size() <= 10 && std::any_of(word.begin(), word.end(), is_digit) &&
         std::all_of(word.begin(), word.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; });
}

bool ends_with_region_or_postcode(const std::string& part) {
  std::vector<std::string> words = split(part, ' ');
  Place probe;
  return take_postcode(words, probe) || take_region(words, probe);
}

// Country from region and postcode when not given; parts contradicting the
// country are dropped.
void settle_country(Place& place) {
  if (place.country.empty()) {
    place.country = std::string(region_code_country(place.region));
    if (place.country.empty()) place.country = std::string(postcode_country(place.postcode));
  }
  if (!place.region.empty() && region_code_country(place.region) != place.country) {
    place.region.clear();
  }
  const std::string_view postcode_country_code = postcode_country(place.postcode);
  if (!postcode_country_code.empty() && (place.country == "US" || place.country == "CA") &&
      postcode_country_code != place.country) {
    place.postcode.clear();
  }
}

std::optional<std::string_view> string_field(const RecordFields& record, std::string_view key) {
  std::string_view value;
  if (record[key].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// parse_address() without settle_country(): the country is only what the
// text states, so explicit fields can still override what it implies.
Place read_address(std::string_view address) {
  Place place;
  if (address.size() > kMaxAddressBytes) return place;
  std::vector<std::string> parts = split(address, ',');

  if (!parts.empty()) {
    // "CA" last is Canada only after a region or postcode ("Toronto, ON, CA");
    // otherwise it is California ("Los Angeles, CA").
    const bool ca_is_country =
        parts.size() >= 2 && ends_with_region_or_postcode(parts[parts.size() - 2]);
    place.country = country_of(parts.back(), ca_is_country);
    if (!place.country.empty()) parts.pop_back();
  }

  // Postcode and region, together or in separate parts; a part that also
  // holds the city ("Austin TX 78701") gives it up after them.
  while (!parts.empty() && (place.postcode.empty() || place.region.empty())) {
    std::vector<std::string> words = split(parts.back(), ' ');
    bool took = false;
    if (place.postcode.empty()) took = take_postcode(words, place);
    if (place.region.empty()) took = take_region(words, place) || took;
    if (words.empty()) {
      parts.pop_back();
      continue;
    }
    if (took) {
      place.city = city_of(join(words, 0, words.size(), " "));
      parts.pop_back();
      break;
    }
    // Only code-like words ("ZZ", "1234", "D1D 1D1"): an unknown region or a
    // broken postcode, not a city.
    if (std::all_of(words.begin(), words.end(), is_code_like)) {
      parts.pop_back();
      continue;
    }
    break;
  }

  if (place.city.empty() && !parts.empty()) {
    // A last part starting with a digit is a street ("123 Main St"), unless
    // a street precedes it.
    const std::string& last = parts.back();
    if (parts.size() >= 2 || !is_digit(last[0])) {
      place.city = city_of(last);
      parts.pop_back();
    }
  }
  std::string street = join(parts, 0, parts.size(), ", ");
  if (street.size() <= kMaxStreetBytes && !is_placeholder(street)) place.street = std::move(street);

  return place;
}

}  // namespace

std::string place_key(std::string_view name) {
  std::string valid = utf8::first_invalid_offset(name) ? utf8::sanitize(name) : std::string(name);
  std::string folded;
  if (std::all_of(valid.begin(), valid.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    folded = std::move(valid);
  } else {
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
        static_cast<utf8proc_ssize_t>(valid.size()), &mapped,
        static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                       UTF8PROC_STRIPMARK | UTF8PROC_STABLE));
    // Valid input and fixed options: only memory can fail.
    if (length < 0) throw std::bad_alloc();
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    folded.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  }
  for (char& c : folded) {
    if (c == '.' || c == '-' || c == '\'' || c == ',') c = ' ';
  }
  // U+2019 (’) is an apostrophe too.
  for (std::size_t at; (at = folded.find("\xE2\x80\x99")) != std::string::npos;) {
    folded.replace(at, 3, " ");
  }
  std::vector<std::string> words = split(utf8::normalize_for_matching(folded), ' ');
  for (std::string& word : words) {
    if (word == "saint")
      word = "st";
    else if (word == "sainte")
      word = "ste";
    else if (word == "mount")
      word = "mt";
    else if (word == "fort")
      word = "ft";
  }
  return join(words, 0, words.size(), " ");
}

Place parse_address(std::string_view address) {
  Place place = read_address(address);
  settle_country(place);
  return place;
}

Place parse_place(simdjson::dom::object record) { return parse_place(RecordFields(record)); }

Place parse_place(const RecordFields& record) {
  Place place;
  if (auto address = string_field(record, "address")) place = read_address(*address);

  if (auto country = string_field(record, "locationCountry")) {
    const std::string text = clean(*country);
    std::string code = country_of(text, true);
    if (code.empty() && text.size() == 2 && is_alpha(text[0]) && is_alpha(text[1])) {
      code = upper(text);
    }
    if (!code.empty()) place.country = std::move(code);
  }
  if (auto city = string_field(record, "locationCity")) {
    std::string text = city_of(*city);
    if (!text.empty()) place.city = std::move(text);
  }
  if (auto state = string_field(record, "locationState")) {
    std::string code = region_of(clean(*state));
    if (!code.empty()) place.region = std::move(code);
  }
  for (std::string_view key : {"locationPostcode", "postcode", "postalCode", "zip"}) {
    if (auto value = string_field(record, key)) {
      if (auto code = postcode_of(clean(*value))) {
        place.postcode = *code;
        break;
      }
    }
  }
  // An explicit country other than the address's makes the address's
  // region and postcode suspect: settle_country() drops what contradicts it.
  settle_country(place);
  return place;
}

MemoPlaceParser::Parsed MemoPlaceParser::parse(const RecordFields& record) {
  constexpr std::size_t kFields = std::size(kPlaceFields);
  std::string_view values[kFields];
  for (std::size_t i = 0; i < kFields; ++i) {
    // Only strings count for parse_place(); a field's absence and a
    // non-string value read the same.
    if (record[kPlaceFields[i]].get(values[i])) values[i] = {};
  }
  key_.clear();
  for (std::string_view value : values) {
    // Length-prefixed: no two inputs share a key.
    const auto size = static_cast<std::uint32_t>(value.size());
    key_.append(reinterpret_cast<const char*>(&size), sizeof size);
    key_.append(value);
  }
  auto found = memo_.find(key_);
  if (found == memo_.end()) {
    if (memo_.size() >= kMaxEntries) memo_.clear();
    found = memo_.emplace(key_, Entry{parse_place(record), next_id_++}).first;
  }
  return {found->second.place, found->second.id};
}

}  // namespace haul::enrich
