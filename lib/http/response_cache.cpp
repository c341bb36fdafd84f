#include "http/response_cache.hpp"

#include <simdjson.h>

#include <cstdint>
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

std::filesystem::path ResponseCache::entry_path(const std::string& key) const {
  // 256 shards: directories of a few entries however many pages a source has.
  return dir_ / key.substr(0, 2) / (key + ".entry");
}

std::optional<CachedResponse> ResponseCache::load(const std::string& key) const {
  std::ifstream in(entry_path(key), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  std::string entry = text.str();
  std::size_t newline = entry.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element header;
  if (parser.parse(entry.data(), newline).get(header)) return std::nullopt;
  CachedResponse cached;
  std::string_view etag, last_modified;
  std::uint64_t body_bytes;
  if (header["body_bytes"].get(body_bytes) || body_bytes != entry.size() - newline - 1)
    return std::nullopt;
  if (!header["etag"].get(etag)) cached.etag = etag;
  if (!header["last_modified"].get(last_modified)) cached.last_modified = last_modified;
  cached.body = entry.substr(newline + 1);
  return cached;
}

Status ResponseCache::store(const std::string& key, const std::string& redacted_url,
                            const CachedResponse& response) const {
  std::string entry;
  io::JsonWriter json(entry);
  json.begin_object();
  json.field("url", redacted_url);
  json.field("etag", response.etag);
  json.field("last_modified", response.last_modified);
  json.field("body_bytes", static_cast<std::uint64_t>(response.body.size()));
  json.end_object();
  entry.push_back('\n');
  entry += response.body;
  return io::write_file_atomically(entry_path(key), entry);
}

}  // namespace haul::http
