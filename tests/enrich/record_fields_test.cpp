#include "enrich/record_fields.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <deque>
#include <string>
#include <vector>

namespace haul::enrich {
namespace {

// What `fields[name]` reads: "absent", or the value's JSON.
std::string lookup(const RecordFields& fields, std::string_view name) {
  simdjson::dom::element value;
  if (fields[name].get(value)) return "absent";
  return simdjson::minify(value);
}

class RecordFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::string_view name : {"make", "model", "year", "price", "locationCity", "zip", "a"}) {
      names_.add(name);
    }
    names_.add("make");  // listed once however often added
  }
  simdjson::dom::object parse(const std::string& json) {
    texts_.push_back(json);
    return parsers_.emplace_back().parse(texts_.back()).get_object().value();
  }
  FieldNames names_;
  std::vector<std::string> texts_;
  std::deque<simdjson::dom::parser> parsers_;  // each record stays parsed
};

TEST_F(RecordFieldsTest, ReadsWhatAScanReadsForListedAndUnlistedNames) {
  const std::vector<std::string> records = {
      R"({"make":"Ford","model":"F-150","year":2019,"price":null,"mileage":3})",
      R"({"make":"Ford","make":"Dodge","year":"x","year":1999})",  // the first counts
      R"({"yeaR":1,"Make":"lower case differs","a":{"b":1},"zip":[1,2]})",
      R"({})",
      R"({"model":"","mode":"l","models":"s","locationCity":"Austin"})",
  };
  const std::vector<std::string> asked = {"make", "model", "year", "price",        "zip",
                                          "a",    "b",     "yeaR", "locationCity", "mileage",
                                          "",     "mode",  "Make"};
  RecordFields walked;
  for (const std::string& json : records) {
    const simdjson::dom::object record = parse(json);
    walked.read(names_, record);
    const RecordFields scanned(record);
    for (const std::string& name : asked) {
      EXPECT_EQ(lookup(walked, name), lookup(scanned, name)) << json << " [" << name << "]";
    }
  }
  EXPECT_EQ(lookup(walked, "model"), "\"\"");
  EXPECT_EQ(lookup(walked, "make"), "absent");
}

// One RecordFields serves record after record: nothing of an earlier record
// is read in a later one.
TEST_F(RecordFieldsTest, NothingOfTheRecordBeforeRemains) {
  RecordFields walked;
  walked.read(names_, parse(R"({"make":"Ford","price":10,"zip":"78701"})"));
  EXPECT_EQ(lookup(walked, "zip"), "\"78701\"");
  walked.read(names_, parse(R"({"model":"T"})"));
  EXPECT_EQ(lookup(walked, "make"), "absent");
  EXPECT_EQ(lookup(walked, "price"), "absent");
  EXPECT_EQ(lookup(walked, "zip"), "absent");
  EXPECT_EQ(lookup(walked, "model"), "\"T\"");
  // Other names, same fields: the slots follow the new list.
  FieldNames other;
  other.add("zip");
  walked.read(other, parse(R"({"zip":"K1A 0B1","make":"Ford"})"));
  EXPECT_EQ(lookup(walked, "zip"), "\"K1A 0B1\"");
  EXPECT_EQ(lookup(walked, "make"), "\"Ford\"");  // unlisted there: scanned
}

TEST(FieldNames, FindsListedNamesOnly) {
  FieldNames names;
  names.add("locationCity");
  names.add("locationState");   // same first byte, other length
  names.add("locationCountr");  // same length as neither
  const std::string long_name(100, 'x');
  names.add(long_name);
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(names.find("locationCity"), 0);
  EXPECT_EQ(names.find("locationState"), 1);
  EXPECT_EQ(names.find(long_name), 3);
  EXPECT_EQ(names.find(std::string(99, 'x') + "y"), FieldNames::kNone);
  EXPECT_EQ(names.find("locationCitY"), FieldNames::kNone);
  EXPECT_EQ(names.find("ocationCity"), FieldNames::kNone);
  EXPECT_EQ(names.find(""), FieldNames::kNone);
}

}  // namespace
}  // namespace haul::enrich
