#include "scrape/bookmarks.hpp"

#include <simdjson.h>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"

namespace haul::scrape {

std::filesystem::path bookmark_path(const std::filesystem::path& state_dir,
                                    const std::string& source) {
  return state_dir / "scrape" / (source + ".json");
}

std::optional<Bookmark> load_bookmark(const std::filesystem::path& state_dir,
                                      const std::string& source) {
  simdjson::dom::parser parser;
  simdjson::dom::element root, entry;
  if (parser.load(bookmark_path(state_dir, source).string()).get(root) ||
      root["bookmarks"][source].get(entry))
    return std::nullopt;
  Bookmark bookmark;
  std::string_view text;
  if (entry["field"].get(text)) return std::nullopt;
  bookmark.field = text;
  if (entry["value"].get(text)) return std::nullopt;
  bookmark.value = text;
  if (!entry["date"].get(text)) bookmark.date = text;
  if (!entry["since"].get(text)) bookmark.since = text;
  return bookmark;
}

Status save_bookmark(const std::filesystem::path& state_dir, const std::string& source,
                     const Bookmark& bookmark) {
  std::string out;
  io::JsonWriter json(out);
  json.begin_object();
  json.key("bookmarks");
  json.begin_object();
  json.key(source);
  json.begin_object();
  json.field("field", bookmark.field);
  json.field("value", bookmark.value);
  json.field("date", bookmark.date);
  json.field("since", bookmark.since);
  json.end_object();
  json.end_object();
  json.end_object();
  out.push_back('\n');
  return io::write_file_atomically(bookmark_path(state_dir, source), out);
}

}  // namespace haul::scrape
