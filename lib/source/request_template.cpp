#include "source/request_template.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "io/json_writer.hpp"

namespace haul::source {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The length of "{name}" (or "${NAME}" from `at`+1) starting at `at`, or 0.
std::size_t placeholder_length(std::string_view text, std::size_t at) {
  if (at >= text.size() || text[at] != '{') return 0;
  std::size_t i = at + 1;
  while (i < text.size() && is_name_char(text[i])) ++i;
  if (i == at + 1 || i >= text.size() || text[i] != '}') return 0;
  return i + 1 - at;
}

void append_url_component(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : value) {
    if (is_name_char(static_cast<char>(c)) || c == '-' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

void append_escaped(std::string& out, std::string_view value, Escaping escaping) {
  switch (escaping) {
    case Escaping::kNone:
      out.append(value);
      break;
    case Escaping::kUrlComponent:
      append_url_component(out, value);
      break;
    case Escaping::kJsonString: {
      std::string quoted;
      io::append_json_string(quoted, value);
      out.append(quoted, 1, quoted.size() - 2);
      break;
    }
  }
}

bool breaks_a_line(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Calls on_text(literal), on_name(name) and on_env(var) along the pattern.
template <typename Text, typename Name, typename Env>
Status scan(std::string_view pattern, Text on_text, Name on_name, Env on_env) {
  std::size_t i = 0, literal = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '$' && placeholder_length(pattern, i + 1) > 0) {
      std::size_t length = placeholder_length(pattern, i + 1);
      on_text(pattern.substr(literal, i - literal));
      if (Status s = on_env(pattern.substr(i + 2, length - 2)); !s.is_ok()) return s;
      i += 1 + length;
      literal = i;
    } else if (std::size_t length = placeholder_length(pattern, i); length > 0) {
      on_text(pattern.substr(literal, i - literal));
      if (Status s = on_name(pattern.substr(i + 1, length - 2)); !s.is_ok()) return s;
      i += length;
      literal = i;
    } else {
      ++i;
    }
  }
  on_text(pattern.substr(literal));
  return Status::ok();
}

}  // namespace

void TemplateValues::set(std::string name, std::string value) {
  for (auto& entry : values) {
    if (entry.first == name) {
      entry.second = std::move(value);
      return;
    }
  }
  values.emplace_back(std::move(name), std::move(value));
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

void add_secret(std::vector<std::pair<std::string, std::string>>& secrets, std::string value,
                const std::string& name) {
  if (value.empty()) return;
  for (const auto& known : secrets) {
    if (known.first == value) return;
  }
  secrets.emplace_back(std::move(value), name);
}

// A secret, and the forms an echo of it may take: percent-encoded or decoded
// (a URL re-encoded by a server or a next link), base64 (credentials).
void add_secret_forms(std::vector<std::pair<std::string, std::string>>& secrets,
                      const std::string& value, const std::string& name) {
  add_secret(secrets, value, name);
  std::string encoded;
  append_url_component(encoded, value);
  add_secret(secrets, encoded, name);
  add_secret(secrets, percent_decoded(value), name);
  add_secret(secrets, base64(value), name);
}

// URL credentials ("https://user:pass@host/"): curl sends them decoded and
// base64-encoded as "Authorization: Basic ...", so those forms are secrets
// too when the credentials hold one.
void add_url_credentials(ExpandedText& out) {
  std::size_t scheme = out.text.find("://");
  if (scheme == std::string::npos) return;
  std::size_t start = scheme + 3;
  std::size_t end = out.text.find_first_of("/?#", start);
  std::size_t at = out.text.rfind('@', end);
  if (at == std::string::npos || at < start) return;
  std::string userinfo = out.text.substr(start, at - start);
  // Replaced by the name of the first secret they hold.
  std::string name;
  for (const auto& known : out.secrets) {
    if (name.empty() && userinfo.find(known.first) != std::string::npos) name = known.second;
  }
  if (name.empty()) return;
  std::string decoded = percent_decoded(userinfo);
  add_secret(out.secrets, base64(decoded), name);
  add_secret(out.secrets, decoded, name);
  add_secret(out.secrets, userinfo, name);
}

}  // namespace

const std::string* TemplateValues::find(std::string_view name) const {
  for (const auto& entry : values) {
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

Status expand_template_text(std::string_view pattern, const TemplateValues& values,
                            Escaping escaping, ExpandedText& out) {
  out = ExpandedText();
  Status status = scan(
      pattern,
      [&](std::string_view text) {
        out.text.append(text);
        out.redacted.append(text);
      },
      [&](std::string_view name) {
        const std::string* value = values.find(name);
        if (!value) {
          return Status::error(ExitCode::kConfig,
                               fmt::format("unknown placeholder {{{}}} in \"{}\"", name, pattern));
        }
        if (escaping == Escaping::kNone && breaks_a_line(*value)) {
          // A cursor or parameter with a line break would add a header of
          // its own making.
          return Status::error(
              ExitCode::kDataError,
              fmt::format("{{{}}} holds a line break or NUL, which cannot go into a header", name));
        }
        append_escaped(out.text, *value, escaping);
        append_escaped(out.redacted, *value, escaping);
        return Status::ok();
      },
      [&](std::string_view var) {
        std::string name(var);
        const char* value = std::getenv(name.c_str());
        if (!value) {
          return Status::error(ExitCode::kConfig,
                               fmt::format("environment variable {} is not set", name));
        }
        // In a URL a secret goes in as written (it may be a base URL or
        // credentials, percent-encoded by whoever set it); in a body it is
        // escaped like any value, so a quote in a token cannot end its string.
        if (escaping != Escaping::kJsonString && breaks_a_line(value)) {
          return Status::error(ExitCode::kConfig,
                               fmt::format("environment variable {} holds a line break or NUL, "
                                           "which cannot go into a URL or a header",
                                           name));
        }
        const std::size_t sent_from = out.text.size();
        if (escaping == Escaping::kJsonString) {
          append_escaped(out.text, value, escaping);
        } else {
          out.text.append(value);
        }
        out.redacted.append("${").append(name).append("}");
        add_secret_forms(out.secrets, value, name);
        add_secret(out.secrets, out.text.substr(sent_from), name);  // the escaped form
        return Status::ok();
      });
  if (status.is_ok() && escaping == Escaping::kUrlComponent) add_url_credentials(out);
  return status;
}

std::vector<std::string> placeholder_names(std::string_view pattern) {
  std::vector<std::string> names;
  (void)scan(
      pattern, [](std::string_view) {},
      [&](std::string_view name) {
        names.emplace_back(name);
        return Status::ok();
      },
      [](std::string_view) { return Status::ok(); });
  return names;
}

std::vector<std::string> env_references(std::string_view pattern) {
  std::vector<std::string> names;
  (void)scan(
      pattern, [](std::string_view) {}, [](std::string_view) { return Status::ok(); },
      [&](std::string_view var) {
        names.emplace_back(var);
        return Status::ok();
      });
  return names;
}

}  // namespace haul::source
