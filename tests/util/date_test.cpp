#include "util/date.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace haul {
namespace {

TEST(Date, ParsesStrictIsoDates) {
  auto date = Date::parse("2024-02-29");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->to_string(), "2024-02-29");
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101",
                          "2025-01-01x", "", "2025-04-31", "abcd-01-01"}) {
    EXPECT_FALSE(Date::parse(bad)) << bad;
  }
}

TEST(Date, RangesAreInclusiveAndCrossMonthsAndYears) {
  auto range = date_range(*Date::parse("2025-12-30"), *Date::parse("2026-01-02"));
  ASSERT_EQ(range.size(), 4u);
  EXPECT_EQ(range[1].to_string(), "2025-12-31");
  EXPECT_EQ(range[2].to_string(), "2026-01-01");
  EXPECT_EQ(date_range(*Date::parse("2024-02-28"), *Date::parse("2024-03-01")).size(), 3u);
  EXPECT_TRUE(date_range(*Date::parse("2026-01-02"), *Date::parse("2026-01-01")).empty());
}

TEST(Date, LeapYears) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_EQ(days_in_month(2023, 2), 28);
}

// Retention counts days back from the logical date across months, leap days
// and years; checked against stepping with next() one day at a time.
TEST(Date, PlusDaysAndDaysBetweenAgreeWithNext) {
  const Date start{2023, 12, 25};
  Date stepped = start;
  for (long n = 0; n <= 800; ++n) {
    ASSERT_EQ(start.plus_days(n), stepped) << n;
    ASSERT_EQ(stepped.plus_days(-n), start) << n;
    ASSERT_EQ(days_between(start, stepped), n);
    ASSERT_EQ(days_between(stepped, start), -n);
    stepped = stepped.next();
  }
  EXPECT_EQ((Date{2024, 3, 1}.plus_days(-1)), (Date{2024, 2, 29}));
  EXPECT_EQ((Date{1970, 1, 1}.plus_days(-1)), (Date{1969, 12, 31}));
}

// Sets (or removes) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
    tzset();
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
    tzset();
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// 2026-05-11T02:30:00Z: still 2026-05-10 in Toronto (UTC-4), already the
// 11th in UTC and in Tokyo.
constexpr std::time_t kLateEveningInToronto = 1778466600;

TEST(Date, TheProcessTimeZoneDecidesWithoutHaulTz) {
  ScopedEnv haul_tz("HAUL_TZ", std::nullopt);
  {
    ScopedEnv tz("TZ", "America/Toronto");
    EXPECT_EQ(Date::on_day_of(kLateEveningInToronto).to_string(), "2026-05-10");
  }
  ScopedEnv tz("TZ", "Asia/Tokyo");
  EXPECT_EQ(Date::on_day_of(kLateEveningInToronto).to_string(), "2026-05-11");
}

TEST(Date, HaulTzDecidesWhateverTheProcessTimeZone) {
  ScopedEnv haul_tz("HAUL_TZ", "America/Toronto");
  for (const char* zone : {"UTC", "Asia/Tokyo", "Etc/GMT+12", "America/Toronto"}) {
    ScopedEnv tz("TZ", zone);
    EXPECT_EQ(Date::on_day_of(kLateEveningInToronto).to_string(), "2026-05-10") << zone;
    // And the process's own zone is left as it was, for its log lines.
    EXPECT_STREQ(std::getenv("TZ"), zone);
  }
  ScopedEnv no_tz("TZ", std::nullopt);
  EXPECT_EQ(Date::on_day_of(kLateEveningInToronto).to_string(), "2026-05-10");
  EXPECT_EQ(std::getenv("TZ"), nullptr);
}

}  // namespace
}  // namespace haul
