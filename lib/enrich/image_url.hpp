#pragma once
// Image URLs made safe to store and, later, to download: one canonical
// spelling per image, and only public http(s) hosts. Downloading and resizing
// are later work; what this guards is that nothing stored as an image URL can
// point a future downloader at a local service (SSRF) or carry credentials.

#include <string>
#include <string_view>

namespace haul::enrich {

struct ImageUrlCheck {
  std::string url;    // the normalised URL; empty when rejected
  std::string error;  // "" when accepted, else a code: image_url_bad_scheme, image_url_bad_host,
                      // image_url_private_host, image_url_credentials, image_url_malformed
  std::string message;
};

// Trims spaces; "//host/p" becomes "https://host/p"; scheme and host are
// lower-cased; a default port (:80 for http, :443 for https) and the fragment
// are dropped; an empty path becomes "/"; spaces, control characters and
// non-ASCII bytes are percent-encoded (existing %XX escapes are kept).
// Rejected: schemes other than http/https, a missing or malformed host,
// user:password@ parts, and hosts that are loopback, private or link-local
// addresses or "localhost".
ImageUrlCheck check_image_url(std::string_view raw);

// A quick test for the common case, without allocating: true only when
// check_image_url(url) would accept `url` exactly as it is (http(s), a
// lower-case host name that is not local, a path that needs no encoding).
// False means "ask check_image_url", not "refused".
bool is_normalised_image_url(std::string_view url);

// `url` with any user:password@ part removed, for messages and warnings.
std::string without_credentials(std::string_view url);

}  // namespace haul::enrich
