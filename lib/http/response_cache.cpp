#include "http/response_cache.hpp"

#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "util/sha256.hpp"

namespace haul::http {

std::string ResponseCache::key_of(const std::string& method, const std::string& redacted_url,
                                  const std::string& redacted_body) {
  return Sha256().hex(method + "\n" + redacted_url + "\n" + redacted_body);
}

std::optional<CachedResponse> ResponseCache::load(const std::string& key) const {
  simdjson::dom::parser parser;
  simdjson::dom::element entry;
  if (parser.load((dir_ / (key + ".json")).string()).get(entry)) return std::nullopt;
  CachedResponse cached;
  std::string_view etag, last_modified;
  if (!entry["etag"].get(etag)) cached.etag = etag;
  if (!entry["last_modified"].get(last_modified)) cached.last_modified = last_modified;
  std::ifstream in(dir_ / (key + ".body"), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  cached.body = body.str();
  return cached;
}

Status ResponseCache::store(const std::string& key, const std::string& redacted_url,
                            const CachedResponse& response) const {
  if (Status s = io::write_file_atomically(dir_ / (key + ".body"), response.body); !s.is_ok())
    return s;
  std::string entry;
  io::JsonWriter json(entry);
  json.begin_object();
  json.field("url", redacted_url);
  json.field("etag", response.etag);
  json.field("last_modified", response.last_modified);
  json.end_object();
  entry.push_back('\n');
  return io::write_file_atomically(dir_ / (key + ".json"), entry);
}

}  // namespace haul::http
