#include "enrich/image_url.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace haul::enrich {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

ImageUrlCheck rejected(std::string code, std::string message) {
  return ImageUrlCheck{"", std::move(code), std::move(message)};
}

// True for addresses a downloader must never be pointed at.
bool is_private_ipv4(std::uint32_t a) {  // host byte order
  const auto in = [a](std::uint32_t net, int bits) {
    return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits));
  };
  return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
         in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xE0000000, 3);
}

bool is_private_host(const std::string& host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return is_private_ipv4(ntohl(v4.s_addr));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr v6{};
    const std::string inner = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, inner.c_str(), &v6) != 1) return true;  // unparseable: refuse
    const std::uint8_t* b = v6.s6_addr;
    bool zero_prefix = true;
    for (int i = 0; i < 10; ++i) zero_prefix = zero_prefix && b[i] == 0;
    if (zero_prefix && b[10] == 0xff && b[11] == 0xff) {  // IPv4-mapped
      return is_private_ipv4((std::uint32_t(b[12]) << 24) | (b[13] << 16) | (b[14] << 8) | b[15]);
    }
    bool all_zero =
        zero_prefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0;
    return (all_zero && (b[15] == 0 || b[15] == 1)) ||  // :: and ::1
           (b[0] & 0xfe) == 0xfc ||                     // unique local fc00::/7
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);     // link-local fe80::/10
  }
  return false;
}

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-') return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return host.find("..") == std::string_view::npos;
}

// What may not appear literally in a path or query (besides a '%' that
// starts no escape), as a table: it is asked for every byte of every URL.
constexpr auto kNeedsEncoding = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
               c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
  }
  return table;
}();
bool needs_encoding(unsigned char c) { return kNeedsEncoding[c]; }

// Percent-encodes what may not appear literally in a path or query.
void append_encoded(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2])) {
      out.push_back('%');
      continue;
    }
    if (needs_encoding(c) || c == '%') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

}  // namespace

ImageUrlCheck check_image_url(std::string_view raw) {
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  if (raw.empty()) return rejected("image_url_malformed", "the image URL is empty");

  std::string scheme;
  std::string_view rest;
  if (raw.starts_with("//")) {
    scheme = "https";
    rest = raw.substr(2);
  } else {
    const auto colon = raw.find("://");
    if (colon == std::string_view::npos) {
      // "javascript:…", "data:…": a scheme, but not one we fetch.
      const auto scheme_end = raw.find(':');
      const bool has_scheme =
          scheme_end != std::string_view::npos && scheme_end > 0 &&
          raw.substr(0, scheme_end)
                  .find_first_not_of(
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") ==
              std::string_view::npos;
      if (has_scheme) {
        return rejected("image_url_bad_scheme",
                        fmt::format("scheme \"{}\" is not http or https",
                                    raw.substr(0, std::min<std::size_t>(scheme_end, 20))));
      }
      return rejected("image_url_malformed", "the image URL has no scheme://host");
    }
    for (char c : raw.substr(0, colon)) scheme.push_back(lower(c));
    rest = raw.substr(colon + 3);
  }
  if (scheme != "http" && scheme != "https") {
    return rejected("image_url_bad_scheme",
                    fmt::format("scheme \"{}\" is not http or https", scheme.substr(0, 20)));
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    return rejected("image_url_credentials", "the image URL carries a user name or password");
  }

  std::string host;
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return rejected("image_url_bad_host", "unclosed [ in host");
    for (char c : authority.substr(0, close + 1)) host.push_back(lower(c));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return rejected("image_url_bad_host", "unexpected text after the host");
    }
    if (!after.empty()) port = after.substr(1);
  } else {
    const auto colon = authority.find(':');
    for (char c : authority.substr(0, colon)) host.push_back(lower(c));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    while (!host.empty() && host.back() == '.') host.pop_back();  // "example.com." is the same host
    if (!valid_host_name(host)) {
      return rejected("image_url_bad_host", "the image URL's host is missing or not a host name");
    }
  }
  for (char c : port) {
    if (c < '0' || c > '9' || port.size() > 5) {
      return rejected("image_url_bad_host", "the image URL's port is not a number");
    }
  }
  if (is_private_host(host)) {
    return rejected("image_url_private_host", "the image URL points at a local or private address");
  }
  const bool default_port =
      (scheme == "http" && port == "80") || (scheme == "https" && port == "443");

  ImageUrlCheck result;
  result.url.reserve(raw.size() + 8);
  result.url.append(scheme).append("://").append(host);
  if (!port.empty() && !default_port) result.url.append(":").append(port);
  if (path.empty() || path.front() == '?') result.url.push_back('/');
  append_encoded(result.url, path);
  return result;
}

bool is_normalised_image_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto path_start = rest.find_first_of("/?#");
  if (path_start == std::string_view::npos || rest[path_start] != '/') return false;
  const std::string_view host = rest.substr(0, path_start);
  // Names only: ports, user info, IP literals and local names take the full check.
  if (!valid_host_name(host) || host.back() == '.' || host == "localhost" ||
      host.ends_with(".localhost") ||
      host.find_first_not_of("0123456789.") == std::string_view::npos) {
    return false;
  }
  const std::string_view path = rest.substr(path_start);
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (needs_encoding(c) || c == '#') {
      return false;
    }
    if (c == '%' && !(i + 2 < path.size() && is_hex(path[i + 1]) && is_hex(path[i + 2]))) {
      return false;
    }
  }
  return true;
}

std::string without_credentials(std::string_view url) {
  const auto scheme_end = url.find("://");
  const std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority);
  const auto at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
}

}  // namespace haul::enrich
