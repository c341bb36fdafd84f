#include "source/request_template.hpp"

#include <fmt/format.h>

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

const std::string* TemplateValues::find(std::string_view name) const {
  for (const auto& entry : values) {
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

Status expand_template_text(std::string_view pattern, const TemplateValues& values,
                            Escaping escaping, ExpandedText& out) {
  out = ExpandedText();
  return scan(
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
        out.text.append(value);
        out.redacted.append("${").append(name).append("}");
        if (*value) out.secrets.emplace_back(value, name);
        return Status::ok();
      });
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
