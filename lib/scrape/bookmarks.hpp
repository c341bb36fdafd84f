#pragma once
// Singer-style incremental state of one source, in
// state/scrape/<source>.json: {"bookmarks": {"<source>": {"field": ...,
// "value": ..., "date": ...}}}. The value is the largest incremental field
// seen and becomes {since} in the next run's requests.
//
// It is saved only after every raw file of the run is durably written and
// the source finished without an error, so a crash or a failed page never
// moves the bookmark past data that was not kept.

#include <filesystem>
#include <optional>
#include <string>

#include "util/status.hpp"

namespace haul::scrape {

struct Bookmark {
  std::string field;
  std::string value;
  std::string date;  // logical date of the run that saved it
};

std::filesystem::path bookmark_path(const std::filesystem::path& state_dir,
                                    const std::string& source);
std::optional<Bookmark> load_bookmark(const std::filesystem::path& state_dir,
                                      const std::string& source);
Status save_bookmark(const std::filesystem::path& state_dir, const std::string& source,
                     const Bookmark& bookmark);

}  // namespace haul::scrape
