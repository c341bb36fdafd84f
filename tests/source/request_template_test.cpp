#include "source/request_template.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "http/redact.hpp"

namespace haul::source {
namespace {

TEST(RequestTemplate, PlaceholdersAreEscapedWhereTheyLand) {
  TemplateValues values;
  values.set("query", "classic cars & \"trucks\"");
  values.set("page", "2");
  ExpandedText url, body, header;
  ASSERT_TRUE(expand_template_text("https://x.test/s?q={query}&p={page}", values,
                                   Escaping::kUrlComponent, url)
                  .is_ok());
  EXPECT_EQ(url.text, "https://x.test/s?q=classic%20cars%20%26%20%22trucks%22&p=2");
  ASSERT_TRUE(
      expand_template_text(R"({"query":"{query}","n":{page}})", values, Escaping::kJsonString, body)
          .is_ok());
  EXPECT_EQ(body.text, R"({"query":"classic cars & \"trucks\"","n":2})");
  ASSERT_TRUE(
      expand_template_text("{ not a placeholder }{}", values, Escaping::kNone, header).is_ok());
  EXPECT_EQ(header.text, "{ not a placeholder }{}");
}

TEST(RequestTemplate, SecretsAreExpandedOnlyInTheTextSent) {
  ::setenv("HAUL_TEMPLATE_TEST_KEY", "k3y", 1);
  TemplateValues values;
  ExpandedText out;
  ASSERT_TRUE(expand_template_text("Bearer ${HAUL_TEMPLATE_TEST_KEY}", values, Escaping::kNone, out)
                  .is_ok());
  EXPECT_EQ(out.text, "Bearer k3y");
  EXPECT_EQ(out.redacted, "Bearer ${HAUL_TEMPLATE_TEST_KEY}");
  ASSERT_EQ(out.secrets.size(), 2u);  // the value and its base64
  EXPECT_EQ(http::scrub_secrets("error at https://x/?t=k3y k3y", out.secrets),
            "error at https://x/?t=${HAUL_TEMPLATE_TEST_KEY} ${HAUL_TEMPLATE_TEST_KEY}");

  ::unsetenv("HAUL_TEMPLATE_TEST_MISSING");
  Status missing =
      expand_template_text("${HAUL_TEMPLATE_TEST_MISSING}", values, Escaping::kNone, out);
  EXPECT_EQ(missing.code(), ExitCode::kConfig);
  EXPECT_NE(missing.message().find("HAUL_TEMPLATE_TEST_MISSING"), std::string::npos);
  EXPECT_EQ(expand_template_text("{unknown}", values, Escaping::kNone, out).code(),
            ExitCode::kConfig);
  EXPECT_EQ(env_references("a ${A} {b} ${C_2}"), (std::vector<std::string>{"A", "C_2"}));
  EXPECT_EQ(placeholder_names("a ${A} {b} ${C_2}"), (std::vector<std::string>{"b"}));
}

TEST(RequestTemplate, EchoedFormsOfSecretsAreScrubbedToo) {
  ::setenv("HAUL_TEMPLATE_TEST_USER", "scraper", 1);
  ::setenv("HAUL_TEMPLATE_TEST_PASS", "p%40ss-w", 1);  // percent-encoded for the URL
  TemplateValues values;
  ExpandedText url;
  ASSERT_TRUE(
      expand_template_text("https://${HAUL_TEMPLATE_TEST_USER}:${HAUL_TEMPLATE_TEST_PASS}@h/x",
                           values, Escaping::kUrlComponent, url)
          .is_ok());
  EXPECT_EQ(url.redacted, "https://${HAUL_TEMPLATE_TEST_USER}:${HAUL_TEMPLATE_TEST_PASS}@h/x");
  // What curl sends (decoded, base64) and what a server may echo (re-encoded).
  const std::string echo =
      "Authorization: Basic c2NyYXBlcjpwQHNzLXc= pass=p@ss-w url=p%2540ss-w raw=p%40ss-w";
  std::string scrubbed = http::scrub_secrets(echo, url.secrets);
  for (const char* form : {"c2NyYXBlcjpwQHNzLXc=", "p@ss-w", "p%2540ss-w", "p%40ss-w"}) {
    EXPECT_EQ(scrubbed.find(form), std::string::npos) << form << " in " << scrubbed;
  }
  EXPECT_NE(scrubbed.find("${HAUL_TEMPLATE_TEST_PASS}"), std::string::npos) << scrubbed;
}

TEST(RequestTemplate, SecretsInABodyAreEscapedAsJsonAndScrubbedInThatForm) {
  ::setenv("HAUL_TEMPLATE_TEST_TOKEN", "t\"ok\\en", 1);  // t"ok\en
  TemplateValues values;
  ExpandedText body;
  ASSERT_TRUE(expand_template_text(R"({"token":"${HAUL_TEMPLATE_TEST_TOKEN}"})", values,
                                   Escaping::kJsonString, body)
                  .is_ok());
  EXPECT_EQ(body.text, R"({"token":"t\"ok\\en"})");
  EXPECT_EQ(body.redacted, R"({"token":"${HAUL_TEMPLATE_TEST_TOKEN}"})");
  // A server echoing the body echoes the escaped form: scrubbed as well.
  const std::string echo = "bad request: " + body.text;
  const std::string scrubbed = http::scrub_secrets(echo, body.secrets);
  EXPECT_EQ(scrubbed, R"(bad request: {"token":"${HAUL_TEMPLATE_TEST_TOKEN}"})");
}

TEST(RequestTemplate, LineBreaksNeverReachAHeaderOrAUrl) {
  ::setenv("HAUL_TEMPLATE_TEST_CRLF", "k3y\r\nX-Injected: 1", 1);
  TemplateValues values;
  values.set("cursor", "abc\nX-Injected: 1");
  ExpandedText out;
  for (Escaping escaping : {Escaping::kNone, Escaping::kUrlComponent}) {
    const Status secret =
        expand_template_text("Bearer ${HAUL_TEMPLATE_TEST_CRLF}", values, escaping, out);
    EXPECT_EQ(secret.code(), ExitCode::kConfig);
    EXPECT_NE(secret.message().find("HAUL_TEMPLATE_TEST_CRLF"), std::string::npos);
    EXPECT_EQ(secret.message().find("k3y"), std::string::npos) << "the value is never shown";
  }
  const Status cursor = expand_template_text("{cursor}", values, Escaping::kNone, out);
  EXPECT_EQ(cursor.code(), ExitCode::kDataError);
  EXPECT_NE(cursor.message().find("{cursor}"), std::string::npos) << cursor.message();
  // Where it is escaped, it is harmless.
  ASSERT_TRUE(expand_template_text("?c={cursor}", values, Escaping::kUrlComponent, out).is_ok());
  EXPECT_EQ(out.text, "?c=abc%0AX-Injected%3A%201");
  ASSERT_TRUE(expand_template_text(R"({"s":"${HAUL_TEMPLATE_TEST_CRLF}"})", values,
                                   Escaping::kJsonString, out)
                  .is_ok());
  EXPECT_EQ(out.text, R"({"s":"k3y\r\nX-Injected: 1"})");
}

}  // namespace
}  // namespace haul::source
