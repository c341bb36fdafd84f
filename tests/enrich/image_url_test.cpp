#include "enrich/image_url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace haul::enrich {
namespace {

TEST(ImageUrl, NormalisesToOneSpellingPerImage) {
  struct Case {
    const char* raw;
    const char* url;
  } cases[] = {
      {"https://img.example.com/a/b.jpg", "https://img.example.com/a/b.jpg"},
      {"HTTPS://IMG.Example.COM/Photos/Car.JPG", "https://img.example.com/Photos/Car.JPG"},
      {"http://img.example.com:80/a.jpg", "http://img.example.com/a.jpg"},
      {"https://img.example.com:443/a.jpg", "https://img.example.com/a.jpg"},
      {"http://img.example.com:443/a.jpg", "http://img.example.com:443/a.jpg"},
      {"https://img.example.com:8443/a.jpg", "https://img.example.com:8443/a.jpg"},
      {"https://img.example.com/a.jpg#zoom", "https://img.example.com/a.jpg"},
      {"https://img.example.com/a.jpg?w=640&h=480#x", "https://img.example.com/a.jpg?w=640&h=480"},
      {"  https://img.example.com/a.jpg \n", "https://img.example.com/a.jpg"},
      {"https://img.example.com/my car.jpg", "https://img.example.com/my%20car.jpg"},
      {"https://img.example.com/caf\xC3\xA9.jpg", "https://img.example.com/caf%C3%A9.jpg"},
      {"https://img.example.com/a%20b.jpg", "https://img.example.com/a%20b.jpg"},
      {"https://img.example.com/100%.jpg", "https://img.example.com/100%25.jpg"},
      {"//cdn.example.com/p.png", "https://cdn.example.com/p.png"},
      {"https://img.example.com", "https://img.example.com/"},
      {"https://img.example.com?x=1", "https://img.example.com/?x=1"},
      {"https://img.example.com./a.jpg", "https://img.example.com/a.jpg"},
      {"https://[2001:DB8::1]/a.jpg", "https://[2001:db8::1]/a.jpg"},
      {"https://93.184.216.34/a.jpg", "https://93.184.216.34/a.jpg"},
  };
  for (const auto& c : cases) {
    const ImageUrlCheck checked = check_image_url(c.raw);
    EXPECT_EQ(checked.error, "") << c.raw << ": " << checked.message;
    EXPECT_EQ(checked.url, c.url) << c.raw;
  }
}

TEST(ImageUrl, RefusesWhatADownloaderMustNeverFetch) {
  struct Case {
    const char* raw;
    const char* code;
  } cases[] = {
      {"javascript:alert(1)", "image_url_bad_scheme"},
      {"JavaScript:alert(1)", "image_url_bad_scheme"},
      {"data:image/png;base64,iVBORw0KGgo=", "image_url_bad_scheme"},
      {"ftp://img.example.com/a.jpg", "image_url_bad_scheme"},
      {"file:///etc/passwd", "image_url_bad_scheme"},
      {"img.example.com/a.jpg", "image_url_malformed"},
      {"", "image_url_malformed"},
      {"   ", "image_url_malformed"},
      {"https:///a.jpg", "image_url_bad_host"},
      {"https://", "image_url_bad_host"},
      {"https://img_server/a.jpg", "image_url_bad_host"},
      {"https://img.example.com:80a/a.jpg", "image_url_bad_host"},
      {"https://user:pw@img.example.com/a.jpg", "image_url_credentials"},
      {"https://user@img.example.com/a.jpg", "image_url_credentials"},
      {"http://127.0.0.1/a.jpg", "image_url_private_host"},
      {"http://127.1.2.3:8080/a.jpg", "image_url_private_host"},
      {"http://10.0.0.5/a.jpg", "image_url_private_host"},
      {"http://172.16.0.1/a.jpg", "image_url_private_host"},
      {"http://172.31.255.255/a.jpg", "image_url_private_host"},
      {"http://192.168.1.1/a.jpg", "image_url_private_host"},
      {"http://169.254.169.254/latest/meta-data", "image_url_private_host"},
      {"http://0.0.0.0/a.jpg", "image_url_private_host"},
      {"http://[::1]/a.jpg", "image_url_private_host"},
      {"http://[::]/a.jpg", "image_url_private_host"},
      {"http://[fe80::1]/a.jpg", "image_url_private_host"},
      {"http://[fd00::1]/a.jpg", "image_url_private_host"},
      {"http://[::ffff:127.0.0.1]/a.jpg", "image_url_private_host"},
      {"http://[::ffff:10.1.2.3]/a.jpg", "image_url_private_host"},
      {"http://[::ffff:192.168.0.1]/a.jpg", "image_url_private_host"},
      {"http://localhost/a.jpg", "image_url_private_host"},
      {"http://LOCALHOST:3000/a.jpg", "image_url_private_host"},
      {"http://img.localhost/a.jpg", "image_url_private_host"},
  };
  for (const auto& c : cases) {
    const ImageUrlCheck checked = check_image_url(c.raw);
    EXPECT_EQ(checked.error, c.code) << c.raw;
    EXPECT_EQ(checked.url, "") << c.raw;
    EXPECT_FALSE(checked.message.empty()) << c.raw;
  }
  // Public neighbours of the private ranges stay accepted.
  for (const char* raw :
       {"http://172.32.0.1/a.jpg", "http://11.0.0.1/a.jpg", "http://192.169.0.1/a.jpg",
        "http://[::ffff:93.184.216.34]/a.jpg", "http://localhost.example.com/a.jpg"}) {
    EXPECT_EQ(check_image_url(raw).error, "") << raw;
  }
}

TEST(ImageUrl, NoMessageRepeatsThePassword) {
  const ImageUrlCheck checked = check_image_url("https://admin:s3cr3t-pw@img.example.com/a.jpg");
  EXPECT_EQ(checked.error, "image_url_credentials");
  EXPECT_EQ(checked.message.find("s3cr3t-pw"), std::string::npos);
}

TEST(ImageUrl, WithoutCredentialsDropsOnlyTheUserInfo) {
  EXPECT_EQ(without_credentials("https://user:pw@img.example.com/a.jpg"),
            "https://img.example.com/a.jpg");
  EXPECT_EQ(without_credentials("https://user@img.example.com:8080/a@b.jpg"),
            "https://img.example.com:8080/a@b.jpg");
  EXPECT_EQ(without_credentials("https://a:b@c:d@img.example.com/"), "https://img.example.com/");
  EXPECT_EQ(without_credentials("https://img.example.com/a@b.jpg?u=x@y#f@g"),
            "https://img.example.com/a@b.jpg?u=x@y#f@g");
  EXPECT_EQ(without_credentials("javascript:alert(1)"), "javascript:alert(1)");
  EXPECT_EQ(without_credentials(""), "");
}

}  // namespace
}  // namespace haul::enrich

namespace haul::enrich {
namespace {

// The quick test may only ever say yes where the full check accepts the
// URL unchanged; it should say yes for the usual CDN URL.
TEST(ImageUrl, QuickTestAgreesWithTheFullCheck) {
  const char* urls[] = {
      "https://cdn.example.com/a/b.jpg",
      "http://img.dealer-site.ca/photos/123_1.JPG?w=640&h=480",
      "https://x.com/",
      "https://cdn.example.com/a%20b.jpg",
      "https://cdn.example.com/a%2",        // a '%' that starts no escape
      "https://cdn.example.com/a b.jpg",    // a space
      "https://cdn.example.com/a#frag",     // a fragment
      "https://CDN.example.com/a.jpg",      // upper-case host
      "HTTPS://cdn.example.com/a.jpg",      // upper-case scheme
      "https://cdn.example.com",            // no path
      "https://cdn.example.com?x=1",        // query without path
      "https://cdn.example.com:443/a.jpg",  // default port
      "https://cdn.example.com:8443/a.jpg",
      "https://user:pw@cdn.example.com/a.jpg",
      "https://localhost/a.jpg",
      "https://img.localhost/a.jpg",
      "https://127.0.0.1/a.jpg",
      "https://10.0.0.1/a.jpg",
      "https://[::1]/a.jpg",
      "https://cdn.example.com./a.jpg",
      "https://-bad.example.com/a.jpg",
      "https://a..b/x.jpg",
      " https://cdn.example.com/a.jpg",
      "https://cdn.example.com/caf\xc3\xa9.jpg",
      "https://cdn.example.com/a\"b",
      "//cdn.example.com/a.jpg",
      "ftp://cdn.example.com/a.jpg",
      "javascript:alert(1)",
      "",
  };
  int quick = 0;
  for (const char* url : urls) {
    SCOPED_TRACE(url);
    if (!is_normalised_image_url(url)) continue;
    ++quick;
    const ImageUrlCheck full = check_image_url(url);
    EXPECT_EQ(full.error, "");
    EXPECT_EQ(full.url, url);
  }
  EXPECT_EQ(quick, 4);  // the first four: plain http(s) URLs with nothing to change
  EXPECT_TRUE(is_normalised_image_url("https://cdn.example.com/a/b.jpg"));
  EXPECT_FALSE(is_normalised_image_url("https://cdn.example.com/a b.jpg"));
}

}  // namespace
}  // namespace haul::enrich
