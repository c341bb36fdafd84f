#pragma once
// Templates of a source's URL, headers and body. Two kinds of placeholder:
//
//   {name}   a request value: date, page, offset, limit, cursor, since, or a
//            source parameter ("params" in sources.json). A '{' not followed
//            by a plain name and '}' is literal text, so JSON bodies need no
//            escaping.
//   ${VAR}   an environment variable, for secrets. It is expanded only into
//            the text sent on the wire; the redacted text, which is the only
//            one logs, meta, raw files and cache keys ever see, keeps
//            "${VAR}" as written. A missing variable is a config error
//            naming it (never a value). In a body it is escaped as a JSON
//            string's inside; in a URL or a header it goes in as written.
//
// A line break (or NUL) never reaches a header or a URL: a {name} value is
// percent-encoded in a URL and an error naming it in a header, and a secret
// holding one is an error naming its variable in both, so a server's cursor
// cannot add a header of its own making.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.hpp"

namespace haul::source {

// How placeholder values are escaped where they land.
enum class Escaping {
  kNone,          // headers
  kUrlComponent,  // URLs: percent-encoded (RFC 3986 unreserved kept)
  kJsonString,    // bodies: escaped as the inside of a JSON string
};

struct TemplateValues {
  std::vector<std::pair<std::string, std::string>> values;
  void set(std::string name, std::string value);
  const std::string* find(std::string_view name) const;
};

struct ExpandedText {
  std::string text;      // what is sent (secrets expanded)
  std::string redacted;  // what may be shown or stored ("${VAR}" kept)
  // The secret values expanded, with their variable names, so any text that
  // might echo them (error messages, failed bodies) can be scrubbed.
  std::vector<std::pair<std::string, std::string>> secrets;
};

Status expand_template_text(std::string_view pattern, const TemplateValues& values,
                            Escaping escaping, ExpandedText& out);

// The {name} placeholders and ${VAR} references a pattern uses.
std::vector<std::string> placeholder_names(std::string_view pattern);
std::vector<std::string> env_references(std::string_view pattern);

}  // namespace haul::source
