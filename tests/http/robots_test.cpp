#include "http/robots.hpp"

#include <gtest/gtest.h>

namespace haul::http {
namespace {

TEST(Robots, OurGroupWinsOverTheWildcardAndTheLongestMatchDecides) {
  RobotsRules rules = RobotsRules::parse(
      "# comment\nUser-agent: *\nDisallow: /\n\n"
      "User-agent: other-bot\nUser-agent: HAUL-scrape\nDisallow: /private  # no\n"
      "Allow: /private/ok\nDisallow: /*.json$\nCrawl-delay: 2.5\n",
      "haul-scrape");
  EXPECT_TRUE(rules.allowed("/"));
  EXPECT_TRUE(rules.allowed("/public/list?page=2"));
  EXPECT_FALSE(rules.allowed("/private"));
  EXPECT_FALSE(rules.allowed("/private/items?page=1"));
  EXPECT_TRUE(rules.allowed("/private/ok/1"));
  EXPECT_FALSE(rules.allowed("/data/items.json"));
  EXPECT_TRUE(rules.allowed("/data/items.json?x=1"));  // '$' anchors the end
  EXPECT_EQ(rules.crawl_delay_s(), 2.5);
}

TEST(Robots, TheWildcardGroupAppliesWhenWeAreNotNamed) {
  RobotsRules rules = RobotsRules::parse(
      "User-agent: googlebot\nDisallow:\n\nUser-agent: *\nDisallow: /api/\n", "haul-scrape");
  EXPECT_FALSE(rules.allowed("/api/items"));
  EXPECT_TRUE(rules.allowed("/about"));
  EXPECT_FALSE(rules.crawl_delay_s());
}

TEST(Robots, TiesGoToAllowAndEmptyFilesAllowEverything) {
  RobotsRules tie = RobotsRules::parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "haul-scrape");
  EXPECT_TRUE(tie.allowed("/a/b"));
  EXPECT_TRUE(RobotsRules::parse("", "haul-scrape").allowed("/anything"));
  EXPECT_TRUE(RobotsRules::allow_all().allowed("/x"));
  EXPECT_FALSE(RobotsRules::disallow_all().allowed("/x"));
  RobotsRules star = RobotsRules::parse("User-agent: *\nDisallow: /*/private\n", "haul-scrape");
  EXPECT_FALSE(star.allowed("/a/b/private/c"));
  EXPECT_TRUE(star.allowed("/private"));
}

TEST(Robots, PathOfAUrlKeepsTheQuery) {
  EXPECT_EQ(path_of("https://example.com"), "/");
  EXPECT_EQ(path_of("https://example.com/a/b?x=1&y=2"), "/a/b?x=1&y=2");
}

}  // namespace
}  // namespace haul::http
