#pragma once
// A civil calendar date (YYYY-MM-DD): the logical date a run is for. A
// backfill of 2025-10-01 run today still writes under 2025-10-01, so dates are
// values given on the command line, never derived from file times.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haul {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Strict "YYYY-MM-DD" with a real calendar day (2025-02-29 is refused).
  static std::optional<Date> parse(std::string_view text);
  // Today in $HAUL_TZ when it is set (a tz database name such as
  // "America/Toronto"), else in the process's local time zone (TZ). HAUL_TZ
  // lets cron and an operator's shell, whose TZ may differ, agree on the date.
  static Date today();
  // The date of `instant` by the same rule.
  static Date on_day_of(std::time_t instant);

  std::string to_string() const;
  Date next() const;
  // The date `days` later (earlier when negative).
  Date plus_days(long days) const;
  auto operator<=>(const Date&) const = default;
};

// Every date from `from` to `to`, both included; empty when from > to.
std::vector<Date> date_range(Date from, Date to);

// Days from `from` to `to` (negative when `to` is earlier).
long days_between(const Date& from, const Date& to);

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace haul
