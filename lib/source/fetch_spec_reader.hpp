#pragma once
// Reads the fetching part of a source declaration (fetch_spec.hpp) and the
// top-level "scrape" settings from sources.json. Every mistake is a message
// naming the field ("sources[2].pagination.max_pages must be ..."): the
// caller turns it into a config error (exit 78).

#include <simdjson.h>

#include <string>

#include "source/fetch_spec.hpp"

namespace haul::source {

// Applies the source's "preset" (default "generic") and then its own fields.
// Returns false with `error` set when a field is wrong.
bool read_fetch_spec(simdjson::dom::element source, const std::string& where, FetchSpec& spec,
                     std::string& error);

bool read_scrape_settings(simdjson::dom::element root, ScrapeSettings& settings,
                          std::string& error);

}  // namespace haul::source
