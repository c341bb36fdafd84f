#pragma once
// The conditional-request cache: for each request a source made, the last
// good body with its ETag / Last-Modified, so the next run can ask
// "If-None-Match / If-Modified-Since" and re-use the body on 304.
//
// Keys are SHA-256 of the method, the redacted URL and the redacted body:
// a secret never reaches a file name or a file. An entry is one file,
// written atomically: state/http_cache/<source>/<k2>/<key>.entry (k2: the
// key's first two hex digits) holds a JSON line
// {url, etag, last_modified, body_bytes} and then the body. An entry whose
// body is not body_bytes long is not used.

#include <filesystem>
#include <optional>
#include <string>

#include "util/status.hpp"

namespace haul::http {

struct CachedResponse {
  std::string etag;
  std::string last_modified;
  std::string body;
};

class ResponseCache {
 public:
  explicit ResponseCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  static std::string key_of(const std::string& method, const std::string& redacted_url,
                            const std::string& redacted_body);
  std::optional<CachedResponse> load(const std::string& key) const;
  Status store(const std::string& key, const std::string& redacted_url,
               const CachedResponse& response) const;

 private:
  std::filesystem::path entry_path(const std::string& key) const;
  std::filesystem::path dir_;
};

}  // namespace haul::http
