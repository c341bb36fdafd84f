#include "enrich/geocode_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "support/json_doc.hpp"
#include "support/temp_dir.hpp"

namespace haul::enrich {
namespace {

using Kind = GeocodeCache::Answer::Kind;
using namespace std::chrono_literals;

const GeocodeCache::TimePoint kNow =
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 23};

GeoPoint point(double lat, double lng, std::string precision, std::string matched) {
  GeoPoint p;
  p.lat = lat;
  p.lng = lng;
  p.precision = std::move(precision);
  p.matched = std::move(matched);
  p.source = "something else";  // the cache always says "http"
  return p;
}

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(GeocodeCache, RoundTripThroughTheFile) {
  testing::TempDir dir;
  const auto path = dir / "state" / "geocode_cache.jsonl";
  {
    GeocodeCache cache;
    ASSERT_TRUE(cache.load(path, 30, kNow).is_ok());  // a missing file is an empty cache
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_EQ(cache.lookup("Woodbridge, Ontario, Canada").kind, Kind::kUnknown);
    cache.put("Woodbridge, Ontario, Canada", point(43.78, -79.6, "city", "Woodbridge, Vaughan"),
              kNow);
    cache.put("Nowhere, Texas, United States", std::nullopt, kNow);
    EXPECT_TRUE(cache.changed());
    ASSERT_TRUE(cache.save().is_ok());
    EXPECT_FALSE(cache.changed());
  }
  const auto lines = testing::read_lines(path);
  ASSERT_EQ(lines.size(), 2u);
  testing::JsonDoc miss(lines[0]);  // sorted by query
  EXPECT_EQ(miss.str("/query"), "Nowhere, Texas, United States");
  EXPECT_EQ(miss.boolean("/found"), false);
  EXPECT_FALSE(miss.has("/lat"));
  EXPECT_EQ(miss.str("/at"), "2026-11-23T00:00:00.000Z");
  testing::JsonDoc hit(lines[1]);
  EXPECT_EQ(hit.boolean("/found"), true);
  EXPECT_EQ(hit.number("/lat"), 43.78);
  EXPECT_EQ(hit.str("/precision"), "city");

  GeocodeCache again;
  ASSERT_TRUE(again.load(path, 30, kNow + 24h).is_ok());
  EXPECT_EQ(again.size(), 2u);
  EXPECT_EQ(again.corrupt_lines(), 0u);
  const auto answer = again.lookup("woodbridge,  ontario, canada");  // case and spacing fold
  ASSERT_EQ(answer.kind, Kind::kHit);
  EXPECT_DOUBLE_EQ(answer.point.lat, 43.78);
  EXPECT_DOUBLE_EQ(answer.point.lng, -79.6);
  EXPECT_EQ(answer.point.precision, "city");
  EXPECT_EQ(answer.point.source, "http");
  EXPECT_EQ(answer.point.matched, "Woodbridge, Vaughan");
  EXPECT_EQ(again.lookup("Nowhere, Texas, United States").kind, Kind::kMiss);
}

TEST(GeocodeCache, MissesExpireAfterTheNegativeTtlHitsNever) {
  testing::TempDir dir;
  const auto path = dir / "cache.jsonl";
  {
    GeocodeCache cache;
    ASSERT_TRUE(cache.load(path, 30, kNow).is_ok());
    cache.put("hit", point(1, 2, "postcode", "x"), kNow);
    cache.put("miss", std::nullopt, kNow);
    ASSERT_TRUE(cache.save().is_ok());
  }
  GeocodeCache fresh;
  ASSERT_TRUE(fresh.load(path, 30, kNow + 24h * 29).is_ok());
  EXPECT_EQ(fresh.lookup("miss").kind, Kind::kMiss);
  EXPECT_FALSE(fresh.changed());

  GeocodeCache late;
  ASSERT_TRUE(late.load(path, 30, kNow + 24h * 31).is_ok());
  EXPECT_EQ(late.lookup("miss").kind, Kind::kUnknown);
  EXPECT_EQ(late.lookup("hit").kind, Kind::kHit);
  EXPECT_EQ(late.expired_lines(), 1u);
  EXPECT_TRUE(late.changed());  // the rewrite drops the expired line
  ASSERT_TRUE(late.save().is_ok());
  EXPECT_EQ(testing::read_lines(path).size(), 1u);

  GeocodeCache years_later;
  ASSERT_TRUE(years_later.load(path, 30, kNow + 24h * 3650).is_ok());
  EXPECT_EQ(years_later.lookup("hit").kind, Kind::kHit);
}

TEST(GeocodeCache, CorruptLinesAreSkippedAndCounted) {
  testing::TempDir dir;
  const auto path = dir / "cache.jsonl";
  testing::write_file(
      path,
      R"({"query":"good","found":true,"lat":1.5,"lng":2.5,"precision":"city","matched":"G","at":"2026-11-20T10:00:00.000Z"})"
      "\n"
      "not json at all\n"
      R"({"query":"no found flag","lat":1,"lng":2,"at":"2026-11-20T10:00:00Z"})"
      "\n"
      R"({"query":"bad lat","found":true,"lat":"north","lng":2,"precision":"city","matched":"","at":"2026-11-20T10:00:00Z"})"
      "\n"
      R"({"query":"lat out of range","found":true,"lat":91,"lng":2,"precision":"city","matched":"","at":"2026-11-20T10:00:00Z"})"
      "\n"
      R"({"query":"bad precision","found":true,"lat":1,"lng":2,"precision":"street","matched":"","at":"2026-11-20T10:00:00Z"})"
      "\n"
      R"({"query":"bad time","found":false,"at":"yesterday"})"
      "\n"
      "\n"
      R"({"query":"miss","found":false,"at":"2026-11-20T10:00:00Z"})"
      "\n"
      R"(["an array"])"
      "\n"
      R"({"query":"truncated","found":tr)");
  GeocodeCache cache;
  ASSERT_TRUE(cache.load(path, 30, kNow).is_ok());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.corrupt_lines(), 8u);
  EXPECT_EQ(cache.lookup("good").kind, Kind::kHit);
  EXPECT_EQ(cache.lookup("miss").kind, Kind::kMiss);
  EXPECT_EQ(cache.lookup("bad lat").kind, Kind::kUnknown);
  EXPECT_FALSE(cache.changed());
}

TEST(GeocodeCache, SavesAtomicallyAndOnlyWhenSomethingChanged) {
  testing::TempDir dir;
  const auto path = dir / "cache.jsonl";
  GeocodeCache cache;
  ASSERT_TRUE(cache.load(path, 30, kNow).is_ok());
  ASSERT_TRUE(cache.save().is_ok());
  EXPECT_FALSE(std::filesystem::exists(path));  // nothing to write

  cache.put("Austin, Texas, United States", point(30.27, -97.74, "city", "Austin"), kNow);
  ASSERT_TRUE(cache.save().is_ok());
  EXPECT_EQ(files_in(dir.path()), 1u);  // no temporary left beside it

  // The same answer again changes nothing, so nothing is rewritten.
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - 1h);
  const auto before = std::filesystem::last_write_time(path);
  struct stat st_before {};
  ASSERT_EQ(::stat(path.c_str(), &st_before), 0);
  cache.put("Austin, Texas, United States", point(30.27, -97.74, "city", "Austin"), kNow + 1h);
  EXPECT_FALSE(cache.changed());
  ASSERT_TRUE(cache.save().is_ok());
  GeocodeCache reloaded;
  ASSERT_TRUE(reloaded.load(path, 30, kNow).is_ok());
  ASSERT_TRUE(reloaded.save().is_ok());
  EXPECT_EQ(std::filesystem::last_write_time(path), before);
  struct stat st_after {};
  ASSERT_EQ(::stat(path.c_str(), &st_after), 0);
  EXPECT_EQ(st_after.st_ino, st_before.st_ino);  // not replaced by a rename either

  // A different answer is a change; the rename replaces the file.
  cache.put("Austin, Texas, United States", point(30.3, -97.7, "city", "Austin, TX"), kNow);
  EXPECT_TRUE(cache.changed());
  ASSERT_TRUE(cache.save().is_ok());
  EXPECT_EQ(files_in(dir.path()), 1u);
  EXPECT_NE(std::filesystem::last_write_time(path), before);
}

TEST(GeocodeCache, AnUnreadableFileIsAnError) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "a-directory");
  GeocodeCache cache;
  const Status status = cache.load(dir / "a-directory", 30, kNow);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("a-directory"), std::string::npos);
}

}  // namespace
}  // namespace haul::enrich
