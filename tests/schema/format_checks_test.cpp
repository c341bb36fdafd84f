#include "schema/format_checks.hpp"

#include <gtest/gtest.h>

#include <string>

namespace haul::schema {
namespace {

TEST(FormatDate, AcceptsCalendarDates) {
  EXPECT_TRUE(is_valid_date("2024-01-15"));
  EXPECT_TRUE(is_valid_date("0001-01-01"));
  EXPECT_TRUE(is_valid_date("9999-12-31"));
  EXPECT_TRUE(is_valid_date("2020-02-29"));  // divisible by 4
  EXPECT_TRUE(is_valid_date("2000-02-29"));  // divisible by 400
}

TEST(FormatDate, RejectsDaysTheMonthDoesNotHave) {
  EXPECT_FALSE(is_valid_date("2021-02-29"));
  EXPECT_FALSE(is_valid_date("1900-02-29"));  // divisible by 100, not 400
  EXPECT_FALSE(is_valid_date("2024-04-31"));
  EXPECT_FALSE(is_valid_date("2024-01-32"));
  EXPECT_FALSE(is_valid_date("2024-00-10"));
  EXPECT_FALSE(is_valid_date("2024-13-10"));
  EXPECT_FALSE(is_valid_date("2024-01-00"));
}

TEST(FormatDate, RejectsOtherSpellings) {
  EXPECT_FALSE(is_valid_date(""));
  EXPECT_FALSE(is_valid_date("2024-1-15"));
  EXPECT_FALSE(is_valid_date("20240115"));
  EXPECT_FALSE(is_valid_date("15/01/2024"));
  EXPECT_FALSE(is_valid_date("2024-01-15T00:00:00Z"));
  EXPECT_FALSE(is_valid_date(" 2024-01-15"));
  EXPECT_FALSE(is_valid_date("+2024-01-15"));
  EXPECT_FALSE(is_valid_date("2024-01-1\u09ea"));  // a Bengali digit
  EXPECT_FALSE(is_valid_date(std::string("2024-01-15\0", 11)));
}

TEST(FormatDateTime, AcceptsRfc3339Timestamps) {
  EXPECT_TRUE(is_valid_date_time("2024-01-15T09:30:00Z"));
  EXPECT_TRUE(is_valid_date_time("2024-01-15t09:30:00z"));
  EXPECT_TRUE(is_valid_date_time("2024-01-15T09:30:00.123456789+05:30"));
  EXPECT_TRUE(is_valid_date_time("2024-01-15T23:59:59-23:59"));
}

TEST(FormatDateTime, AcceptsLeapSecondsOnlyAtTheEndOfTheUtcDay) {
  EXPECT_TRUE(is_valid_date_time("1998-12-31T23:59:60Z"));
  EXPECT_TRUE(is_valid_date_time("1998-12-31T15:59:60.5-08:00"));
  EXPECT_TRUE(is_valid_date_time("1999-01-01T00:59:60+01:00"));
  EXPECT_FALSE(is_valid_date_time("1998-12-31T23:58:60Z"));
  EXPECT_FALSE(is_valid_date_time("1998-12-31T22:59:60Z"));
  EXPECT_FALSE(is_valid_date_time("1998-12-31T23:59:61Z"));
}

TEST(FormatDateTime, RejectsOutOfRangeFieldsAndMissingParts) {
  EXPECT_FALSE(is_valid_date_time("2024-01-15T24:00:00Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:60:00Z"));
  EXPECT_FALSE(is_valid_date_time("2024-02-30T09:30:00Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00+24:00"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00+01:60"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00+01"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00"));  // no offset
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00.Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15 09:30:00Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00+01:00Z"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15T09:30:00Z\n"));
  EXPECT_FALSE(is_valid_date_time("2024-01-15"));
}

TEST(FormatEmail, AcceptsRfc5321Mailboxes) {
  EXPECT_TRUE(is_valid_email("joe.bloggs@example.com"));
  EXPECT_TRUE(is_valid_email("a+tag@sub.example.co.uk"));
  EXPECT_TRUE(is_valid_email("~test@example.com"));
  EXPECT_TRUE(is_valid_email("user@localhost"));
  EXPECT_TRUE(is_valid_email("\"joe bloggs\"@example.com"));
  EXPECT_TRUE(is_valid_email("\"joe@bloggs\"@example.com"));
  EXPECT_TRUE(is_valid_email("\"quote\\\"inside\"@example.com"));
  EXPECT_TRUE(is_valid_email("joe@[192.0.2.1]"));
  EXPECT_TRUE(is_valid_email("joe@[IPv6:2001:db8::1]"));
  EXPECT_TRUE(is_valid_email("joe@[ipv6:::1]"));
  EXPECT_TRUE(is_valid_email("joe@[IPv6:::ffff:192.0.2.1]"));
}

TEST(FormatEmail, RejectsMalformedMailboxes) {
  EXPECT_FALSE(is_valid_email(""));
  EXPECT_FALSE(is_valid_email("2962"));
  EXPECT_FALSE(is_valid_email("@example.com"));
  EXPECT_FALSE(is_valid_email("joe@"));
  EXPECT_FALSE(is_valid_email(".joe@example.com"));
  EXPECT_FALSE(is_valid_email("joe.@example.com"));
  EXPECT_FALSE(is_valid_email("jo..e@example.com"));
  EXPECT_FALSE(is_valid_email("joe bloggs@example.com"));
  EXPECT_FALSE(is_valid_email("joe@exa_mple.com"));
  EXPECT_FALSE(is_valid_email("joe@-example.com"));
  EXPECT_FALSE(is_valid_email("joe@example..com"));
  EXPECT_FALSE(is_valid_email("joe@example.com."));
  EXPECT_FALSE(is_valid_email("joe@[192.0.2.256]"));
  EXPECT_FALSE(is_valid_email("joe@[IPv6:1:2:3:4:5:6:7::]"));  // RFC 5321: at most 6 beside "::"
  EXPECT_FALSE(is_valid_email("joe@[tag:content]"));
  EXPECT_FALSE(is_valid_email("\"unterminated@example.com"));
  EXPECT_FALSE(is_valid_email("\"bad\"quote\"@example.com"));
  EXPECT_FALSE(is_valid_email("a@b.com, c@d.com"));
  EXPECT_FALSE(is_valid_email("j\u00f6e@example.com"));
}

TEST(FormatEmail, EnforcesLengthLimits) {
  EXPECT_TRUE(is_valid_email(std::string(64, 'a') + "@example.com"));
  EXPECT_FALSE(is_valid_email(std::string(65, 'a') + "@example.com"));
  EXPECT_TRUE(is_valid_email("a@" + std::string(63, 'b') + ".com"));
  EXPECT_FALSE(is_valid_email("a@" + std::string(64, 'b') + ".com"));
}

TEST(FormatUri, AcceptsAbsoluteUris) {
  EXPECT_TRUE(is_valid_uri("https://example.com"));
  EXPECT_TRUE(is_valid_uri("https://user:pa%20ss@example.com:8443/a/b;c?q=1&r=%2F#frag/?"));
  EXPECT_TRUE(is_valid_uri("http://[2001:db8::7]/c=GB?objectClass?one"));
  EXPECT_TRUE(is_valid_uri("http://[v7.fe80::1]/"));
  EXPECT_TRUE(is_valid_uri("http://192.0.2.1:80/"));
  EXPECT_TRUE(is_valid_uri("http://999.999.999.999/"));  // a reg-name, if not an address
  EXPECT_TRUE(is_valid_uri("file:///etc/hosts"));
  EXPECT_TRUE(is_valid_uri("mailto:John.Doe@example.com"));
  EXPECT_TRUE(is_valid_uri("urn:isbn:0451450523"));
  EXPECT_TRUE(is_valid_uri("tel:+1-816-555-1212"));
  EXPECT_TRUE(is_valid_uri("a:"));
}

TEST(FormatUri, RejectsRelativeReferences) {
  EXPECT_FALSE(is_valid_uri(""));
  EXPECT_FALSE(is_valid_uri("/abc"));
  EXPECT_FALSE(is_valid_uri("//example.com/"));
  EXPECT_FALSE(is_valid_uri("abc"));
  EXPECT_FALSE(is_valid_uri("://example.com"));
}

TEST(FormatUri, RejectsCharactersOutsideTheGrammar) {
  EXPECT_FALSE(is_valid_uri("1http://example.com"));
  EXPECT_FALSE(is_valid_uri("ht_tp://example.com"));
  EXPECT_FALSE(is_valid_uri("http://exa mple.com"));
  EXPECT_FALSE(is_valid_uri("http://example.com/a b"));
  EXPECT_FALSE(is_valid_uri("http://example.com/\u00e9"));
  EXPECT_FALSE(is_valid_uri("http://example.com/a\\b"));
  EXPECT_FALSE(is_valid_uri("http://example.com/{x}"));
  EXPECT_FALSE(is_valid_uri("http://example.com/#a#b"));
}

TEST(FormatUri, RejectsBadPercentEncodingPortsAndHosts) {
  EXPECT_FALSE(is_valid_uri("http://example.com/%"));
  EXPECT_FALSE(is_valid_uri("http://example.com/%A"));
  EXPECT_FALSE(is_valid_uri("http://example.com/%6G"));
  EXPECT_FALSE(is_valid_uri("http://example.com:80a/"));
  EXPECT_FALSE(is_valid_uri("http://[::1/"));
  EXPECT_FALSE(is_valid_uri("http://[1::2::3]/"));
  EXPECT_FALSE(is_valid_uri("http://[12345::]/"));
  EXPECT_FALSE(is_valid_uri("http://[1:2:3:4:5:6:7:8:9]/"));
  EXPECT_FALSE(is_valid_uri("http://[::ffff:01.2.3.4]/"));  // RFC 3986: no leading zeros
  EXPECT_FALSE(is_valid_uri("http://[::1]x/"));
  EXPECT_FALSE(is_valid_uri("https://[@example.org/"));
  EXPECT_FALSE(is_valid_uri("http:/[::1]"));
}

}  // namespace
}  // namespace haul::schema
