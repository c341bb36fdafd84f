#include "schema/format_checks.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace haul::schema {
namespace {

// Character classes of RFC 5234 (ABNF core rules), RFC 3986 and RFC 5321.
// Deliberately not <cctype>: those depend on the locale and would let
// non-ASCII bytes through in some.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Value of the `count` digits at text[pos], or -1 unless they are all there
// and all ASCII digits.
int parse_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// ---- RFC 3339 ----

bool is_leap_year(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// full-date = date-fullyear "-" date-month "-" date-mday, all fixed-width.
bool is_full_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  const int year = parse_digits(text, 0, 4);
  const int month = parse_digits(text, 5, 2);
  const int day = parse_digits(text, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// ---- RFC 3986 ----

// Character classes as bits of one table, so checking a URI character is a
// load and a test (URIs are checked twice per listing, millions of times).
enum CharClass : std::uint8_t {
  kUnreservedChar = 1,  // ALPHA / DIGIT / "-" / "." / "_" / "~"
  kSubDelimChar = 2,    // "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
  kColonChar = 4,
  kAtChar = 8,
  kSlashChar = 16,
  kQuestionChar = 32,
};

constexpr std::array<std::uint8_t, 256> kCharClasses = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      table[c] |= kUnreservedChar;
    }
  }
  for (char c : std::string_view("!$&'()*+,;="))
    table[static_cast<unsigned char>(c)] |= kSubDelimChar;
  table[':'] |= kColonChar;
  table['@'] |= kAtChar;
  table['/'] |= kSlashChar;
  table['?'] |= kQuestionChar;
  return table;
}();

constexpr std::uint8_t kUserinfoChars = kUnreservedChar | kSubDelimChar | kColonChar;
constexpr std::uint8_t kRegNameChars = kUnreservedChar | kSubDelimChar;
// pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
constexpr std::uint8_t kPathChars =
    kUnreservedChar | kSubDelimChar | kColonChar | kAtChar | kSlashChar;
// query = fragment = *( pchar / "/" / "?" )
constexpr std::uint8_t kQueryChars = kPathChars | kQuestionChar;

bool in_class(char c, std::uint8_t classes) {
  return (kCharClasses[static_cast<unsigned char>(c)] & classes) != 0;
}
bool is_userinfo_char(char c) { return in_class(c, kUserinfoChars); }

// True when every character of `text` is in `classes` or part of a
// well-formed pct-encoded triplet ("%" HEXDIG HEXDIG).
bool all_chars_or_pct_encoded(std::string_view text, std::uint8_t classes) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size() || !is_hex_digit(text[i + 1]) || !is_hex_digit(text[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!in_class(text[i], classes)) {
      return false;
    }
  }
  return true;
}

// Dotted-quad IPv4. RFC 3986's dec-octet forbids leading zeros ("01");
// RFC 5321's Snum (1*3DIGIT, at most 255) allows them.
bool is_ipv4(std::string_view text, bool allow_leading_zeros) {
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
    const std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    const std::size_t length = pos - start;
    if (length == 0 || value > 255) return false;
    if (!allow_leading_zeros && length > 1 && text[start] == '0') return false;
  }
  return pos == text.size();
}

// IPv6 in the textual form shared by RFC 3986 §3.2.2 and RFC 5321 §4.1.3:
// colon-separated groups of 1-4 hex digits, at most one "::", and optionally
// an IPv4 address standing for the last two groups. The RFCs differ only in
// how many groups may sit beside a "::" (RFC 3986: 7; RFC 5321: 6), and in
// IPv4 leading zeros.
bool is_ipv6(std::string_view text, int max_groups_when_compressed, bool ipv4_leading_zeros) {
  int groups = 0;
  bool compressed = false;
  std::size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    pos = 2;
  } else if (text.empty() || text[0] == ':') {
    return false;
  }
  while (pos < text.size()) {
    std::size_t end = pos;
    while (end < text.size() && is_hex_digit(text[end])) ++end;
    if (end < text.size() && text[end] == '.') {
      // The IPv4 tail must be last: it runs to the end of the text.
      if (!is_ipv4(text.substr(pos), ipv4_leading_zeros)) return false;
      groups += 2;
      break;
    }
    if (end == pos || end - pos > 4) return false;
    ++groups;
    if (end == text.size()) break;
    if (text[end] != ':') return false;
    if (end + 1 < text.size() && text[end + 1] == ':') {
      if (compressed) return false;
      compressed = true;
      pos = end + 2;
    } else {
      pos = end + 1;
      if (pos == text.size()) return false;  // a single trailing colon
    }
  }
  return compressed ? groups <= max_groups_when_compressed : groups == 8;
}

// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
bool is_ipv_future(std::string_view text) {
  if (text.empty() || to_lower(text[0]) != 'v') return false;
  std::size_t pos = 1;
  while (pos < text.size() && is_hex_digit(text[pos])) ++pos;
  if (pos == 1 || pos >= text.size() || text[pos] != '.') return false;
  const std::string_view rest = text.substr(pos + 1);
  if (rest.empty()) return false;
  for (const char c : rest) {
    if (!is_userinfo_char(c)) return false;
  }
  return true;
}

// authority = [ userinfo "@" ] host [ ":" port ]
bool is_authority(std::string_view authority) {
  std::string_view host_port = authority;
  if (const std::size_t at = authority.find('@'); at != std::string_view::npos) {
    if (!all_chars_or_pct_encoded(authority.substr(0, at), kUserinfoChars)) return false;
    host_port = authority.substr(at + 1);
  }

  std::string_view port;
  if (!host_port.empty() && host_port[0] == '[') {
    // IP-literal = "[" ( IPv6address / IPvFuture ) "]"
    const std::size_t close = host_port.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view literal = host_port.substr(1, close - 1);
    if (!is_ipv6(literal, 7, false) && !is_ipv_future(literal)) return false;
    const std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return false;
      port = after.substr(1);
    }
  } else {
    // IPv4address is a subset of reg-name's syntax, so "999.999.999.999" is a
    // valid (if unresolvable) reg-name and needs no separate check.
    const std::size_t colon = host_port.find(':');
    if (!all_chars_or_pct_encoded(host_port.substr(0, colon), kRegNameChars)) return false;
    if (colon != std::string_view::npos) port = host_port.substr(colon + 1);
  }
  for (const char c : port) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// ---- RFC 5321 ----

// atext (RFC 5322 §3.2.3), the characters of an unquoted local part's atoms.
bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

// Dot-string = Atom *("." Atom): no leading, trailing or doubled dots.
bool is_dot_string(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i + 1] == '.') return false;
    } else if (!is_atext(text[i])) {
      return false;
    }
  }
  return true;
}

// Quoted-string = DQUOTE *( qtextSMTP / quoted-pairSMTP ) DQUOTE, where
// qtextSMTP is printable ASCII but '"' and '\', and quoted-pairSMTP is '\'
// followed by any printable ASCII character or space.
bool is_quoted_string(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      if (i + 1 >= text.size() || text[i] < 32 || text[i] > 126) return false;
    } else if (c < 32 || c > 126 || c == '"') {
      return false;
    }
  }
  return true;
}

// Domain = sub-domain *("." sub-domain), sub-domain = Let-dig [Ldh-str]: labels
// of letters, digits and inner hyphens, at most 63 octets each (RFC 1035).
bool is_domain(std::string_view text) {
  std::size_t label_start = 0;
  while (true) {
    std::size_t label_end = text.find('.', label_start);
    if (label_end == std::string_view::npos) label_end = text.size();
    const std::string_view label = text.substr(label_start, label_end - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (const char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    if (label_end == text.size()) return true;
    label_start = label_end + 1;
  }
}

// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal ) "]".
// General-address-literal is refused: its tags must be registered with IANA,
// and none but IPv6 ever has been.
bool is_address_literal(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  constexpr std::string_view kIpv6Tag = "ipv6:";  // ABNF strings are case-insensitive
  if (inner.size() > kIpv6Tag.size()) {
    bool tagged = true;
    for (std::size_t i = 0; i < kIpv6Tag.size(); ++i) tagged &= to_lower(inner[i]) == kIpv6Tag[i];
    if (tagged) return is_ipv6(inner.substr(kIpv6Tag.size()), 6, true);
  }
  return is_ipv4(inner, true);
}

}  // namespace

bool is_valid_date(std::string_view text) { return is_full_date(text); }

bool is_valid_date_time(std::string_view text) {
  // full-date "T" partial-time: "YYYY-MM-DDTHH:MM:SS" is 19 characters.
  if (text.size() < 20 || !is_full_date(text.substr(0, 10)) || to_lower(text[10]) != 't') {
    return false;
  }
  const std::string_view time = text.substr(11);
  if (time[2] != ':' || time[5] != ':') return false;
  const int hour = parse_digits(time, 0, 2);
  const int minute = parse_digits(time, 3, 2);
  const int second = parse_digits(time, 6, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }

  std::size_t pos = 8;
  if (pos < time.size() && time[pos] == '.') {  // time-secfrac = "." 1*DIGIT
    const std::size_t digits_start = ++pos;
    while (pos < time.size() && is_digit(time[pos])) ++pos;
    if (pos == digits_start) return false;
  }

  // time-offset = "Z" / ("+" / "-") time-hour ":" time-minute
  if (pos >= time.size()) return false;
  int offset_minutes = 0;
  if (to_lower(time[pos]) == 'z') {
    ++pos;
  } else if (time[pos] == '+' || time[pos] == '-') {
    const int offset_hour = parse_digits(time, pos + 1, 2);
    const int offset_minute = parse_digits(time, pos + 4, 2);
    if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59 ||
        time[pos + 3] != ':') {
      return false;
    }
    offset_minutes = (time[pos] == '-' ? -1 : 1) * (offset_hour * 60 + offset_minute);
    pos += 6;
  } else {
    return false;
  }
  if (pos != time.size()) return false;

  if (second == 60) {
    // Leap seconds are inserted at the end of a UTC day (RFC 3339 §5.7), so
    // the local time must be 23:59 once the offset is taken away.
    constexpr int kMinutesPerDay = 24 * 60;
    const int utc_minute =
        ((hour * 60 + minute - offset_minutes) % kMinutesPerDay + kMinutesPerDay) % kMinutesPerDay;
    return utc_minute == 23 * 60 + 59;
  }
  return true;
}

bool is_valid_email(std::string_view text) {
  // Neither a domain nor an address literal contains "@", so the last one
  // separates the parts even when a quoted local part contains others.
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  constexpr std::size_t kMaxLocalPart = 64;  // RFC 5321 §4.5.3.1.1
  constexpr std::size_t kMaxDomain = 255;    // RFC 5321 §4.5.3.1.2
  if (local.size() > kMaxLocalPart || domain.size() > kMaxDomain) return false;
  return (is_dot_string(local) || is_quoted_string(local)) &&
         (is_domain(domain) || is_address_literal(domain));
}

bool is_valid_uri(std::string_view text) {
  // URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(text[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }

  std::string_view rest = text.substr(colon + 1);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    if (!all_chars_or_pct_encoded(rest.substr(hash + 1), kQueryChars)) return false;
    rest = rest.substr(0, hash);
  }
  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    if (!all_chars_or_pct_encoded(rest.substr(question + 1), kQueryChars)) return false;
    rest = rest.substr(0, question);
  }

  // hier-part = "//" authority path-abempty / path-absolute / path-rootless /
  // path-empty. Past the authority, all of these are pchars and slashes.
  std::string_view path = rest;
  if (rest.substr(0, 2) == "//") {
    const std::size_t path_start = rest.find('/', 2);
    if (!is_authority(rest.substr(2, path_start - 2))) return false;
    path = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  }
  return all_chars_or_pct_encoded(path, kPathChars);
}

}  // namespace haul::schema
