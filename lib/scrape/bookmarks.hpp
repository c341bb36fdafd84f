#pragma once
// Singer-style incremental state of one source, in
// state/scrape/<source>.json: {"bookmarks": {"<source>": {"field": ...,
// "value": ..., "date": ..., "since": ...}}}. The value is the largest
// incremental field seen and becomes {since} in the next run's requests; a
// rerun for the same date starts again from that date's own "since", since
// it rewrites the date's raw files (otherwise it would drop the records the
// first run found).
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
  std::string date;   // logical date of the run that saved it
  std::string since;  // the {since} that run started from: a rerun of `date` starts there again
};

std::filesystem::path bookmark_path(const std::filesystem::path& state_dir,
                                    const std::string& source);
std::optional<Bookmark> load_bookmark(const std::filesystem::path& state_dir,
                                      const std::string& source);
Status save_bookmark(const std::filesystem::path& state_dir, const std::string& source,
                     const Bookmark& bookmark);

}  // namespace haul::scrape
