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
