#include "util/date.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <ctime>

namespace haul {

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

namespace {

std::optional<int> parse_digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = parse_digits(text.substr(0, 4));
  auto m = parse_digits(text.substr(5, 2));
  auto d = parse_digits(text.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) {
    return std::nullopt;
  }
  return Date{*y, *m, *d};
}

Date Date::today() { return on_day_of(std::time(nullptr)); }

Date Date::on_day_of(std::time_t instant) {
  std::tm local{};
  const char* haul_tz = std::getenv("HAUL_TZ");
  if (haul_tz && *haul_tz) {
    // libstdc++ 12 has no std::chrono::locate_zone, so the zone is TZ for a
    // moment. Options are parsed before any thread starts; the process's TZ
    // is restored at once, so logs keep the operator's local time.
    const char* saved = std::getenv("TZ");
    std::string previous = saved ? saved : "";
    setenv("TZ", haul_tz, 1);
    tzset();
    localtime_r(&instant, &local);
    if (saved) {
      setenv("TZ", previous.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  } else {
    localtime_r(&instant, &local);
  }
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::string Date::to_string() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

Date Date::next() const {
  if (day < days_in_month(year, month)) return Date{year, month, day + 1};
  if (month < 12) return Date{year, month + 1, 1};
  return Date{year + 1, 1, 1};
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
// Hinnant's days_from_civil / civil_from_days).
long days_from_civil(const Date& date) {
  const long y = date.year - (date.month <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long mp = (date.month + 9) % 12;
  const long doy = (153 * mp + 2) / 5 + date.day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(long days) {
  days += 719468;
  const long era = (days >= 0 ? days : days - 146096) / 146097;
  const long doe = days - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

}  // namespace

Date Date::plus_days(long days) const { return civil_from_days(days_from_civil(*this) + days); }

long days_between(const Date& from, const Date& to) {
  return days_from_civil(to) - days_from_civil(from);
}

std::vector<Date> date_range(Date from, Date to) {
  std::vector<Date> dates;
  for (Date d = from; d <= to; d = d.next()) dates.push_back(d);
  return dates;
}

}  // namespace haul
