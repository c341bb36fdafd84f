#include "enrich/record_plan.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace haul::enrich {
namespace {

class RecordPlanTest : public ::testing::Test {
 protected:
  // The plan of `json`, the same whether its fields are found by the first
  // pass's walk or by a scan each (the second pass's rebuilt records).
  RecordPlan plan(const std::string& json) {
    simdjson::dom::object record;
    EXPECT_FALSE(parser_.parse(json).get(record)) << json;
    const RecordPlanner planner(config_);
    RecordFields walked;
    walked.read(planner.first_pass_fields(), record);
    const RecordPlan plan = planner.plan(walked);
    const RecordPlan scanned = planner.plan(RecordFields(record));
    EXPECT_EQ(plan.grade, scanned.grade) << json;
    EXPECT_EQ(plan.absent, scanned.absent) << json;
    EXPECT_EQ(plan.splice, scanned.splice) << json;
    EXPECT_EQ(plan.has_members, scanned.has_members) << json;
    EXPECT_EQ(plan.has_owned_field, scanned.has_owned_field) << json;
    EXPECT_EQ(plan.images_checked, scanned.images_checked) << json;
    return plan;
  }
  TypeConfig config_ = default_config("vehicles");
  simdjson::dom::parser parser_;
};

TEST_F(RecordPlanTest, AnOrdinaryListingIsSplicedWithItsGrade) {
  const RecordPlan p =
      plan(R"({"make":"Chevrolet","model":"Corvette","year":1967,"locationCity":"Austin",)"
           R"("locationState":"TX","imageUrl":"https://cdn.example.com/a.jpg"})");
  EXPECT_TRUE(p.splice);
  EXPECT_TRUE(p.has_members);
  EXPECT_FALSE(p.has_owned_field);
  EXPECT_EQ(p.grade, "A+");
  EXPECT_EQ(p.images_checked, 1);
  EXPECT_FALSE(p.lacks(kLocationCity));
  EXPECT_FALSE(p.lacks(kLocationState));
  EXPECT_TRUE(p.lacks(kLocationPostcode));
  EXPECT_TRUE(p.lacks(kLocationCountry));
  EXPECT_TRUE(p.lacks(kLocationRegion));
  EXPECT_TRUE(p.lacks(kLocationProvince));
}

TEST_F(RecordPlanTest, NullIsAbsentAndTheFirstOfDuplicateKeysDecides) {
  RecordPlan p = plan(R"({"locationCity":null,"locationState":"TX","locationState":null})");
  EXPECT_TRUE(p.lacks(kLocationCity));
  EXPECT_FALSE(p.lacks(kLocationState));
  p = plan(R"({"locationState":null,"locationState":"TX"})");
  EXPECT_TRUE(p.lacks(kLocationState));
}

TEST_F(RecordPlanTest, ImageUrlsThatChangeOrAreRefusedAreNotSpliced) {
  EXPECT_FALSE(plan(R"({"imageUrl":"HTTPS://CDN.example.com/a.jpg"})").splice);
  EXPECT_FALSE(plan(R"({"imageUrl":"http://127.0.0.1/a.jpg"})").splice);
  EXPECT_FALSE(plan(R"({"imageUrl":["https://cdn.example.com/a.jpg","ftp://x/y"]})").splice);
  EXPECT_FALSE(plan(R"({"imageUrl":42})").splice);  // a warning to write
  const RecordPlan kept = plan(R"({"imageUrl":["https://cdn.example.com/a.jpg",7,null]})");
  EXPECT_TRUE(kept.splice);  // items that are not strings stay as they are
  EXPECT_EQ(kept.images_checked, 1);
  EXPECT_TRUE(plan(R"({"imageUrl":null})").splice);
}

TEST_F(RecordPlanTest, AFieldEnrichWritesItselfIsNotSpliced) {
  for (const char* json : {R"({"make":"Ford","market":{}})", R"({"geo":null})",
                           R"({"enrichWarnings":[]})", R"({"investmentGrade":"Z"})"}) {
    const RecordPlan p = plan(json);
    EXPECT_FALSE(p.splice) << json;
    EXPECT_TRUE(p.has_owned_field) << json;
  }
}

TEST_F(RecordPlanTest, AnEmptyObjectHasNoMembers) {
  const RecordPlan p = plan("{}");
  EXPECT_TRUE(p.splice);
  EXPECT_FALSE(p.has_members);
  EXPECT_EQ(p.grade, "B+");  // the original's default grade
}

}  // namespace
}  // namespace haul::enrich
