#include "enrich/market_index.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "enrich/market_database.hpp"

namespace haul::enrich {
namespace {

// Distinct input positions for the listings a test adds.
std::uint64_t next_position() {
  static std::uint64_t position = 0;
  return position++;
}

MarketFeatures listing(std::string_view make, std::string_view model, int year, double price = 0) {
  MarketFeatures f;
  f.model_key = model_key(make, model);
  f.year = year;
  f.has_price = price > 0;
  f.price = price;
  return f;
}

TEST(ModelKey, NormalisesCaseAndSpacing) {
  EXPECT_EQ(model_key("FORD", "F-150"), model_key("Ford", "f-150"));
  EXPECT_EQ(model_key("  Ford ", "Mustang   GT"), model_key("Ford", "Mustang GT"));
  EXPECT_EQ(model_key("Citroën", "DS"), model_key("CITROËN", "ds"));
  EXPECT_NE(model_key("Ford", "Mustang"), model_key("Ford", "Mustang GT"));
  // The separator keeps make and model apart.
  EXPECT_NE(model_key("Land Rover", "Defender"), model_key("Land", "Rover Defender"));
}

TEST(MarketIndex, TheYearWindowIsPlusMinusOneAndTheListingIsNotItsOwnComparable) {
  MarketIndexBuilder builder(1);
  builder.add_batch_listing(next_position(), listing("Ford", "Mustang", 2015, 10000));
  builder.add_batch_listing(next_position(), listing("Ford", "Mustang", 2014, 20000));
  builder.add_batch_listing(next_position(), listing("Ford", "Mustang", 2016, 30000));
  builder.add_batch_listing(next_position(),
                            listing("Ford", "Mustang", 2017, 90000));  // 2 years from 2015
  builder.add_batch_listing(next_position(), listing("Ford", "Mustang", 2013, 95000));
  builder.add_batch_listing(next_position(),
                            listing("Ford", "Mustang GT", 2015, 99000));         // another model
  builder.add_batch_listing(next_position(), listing("Ford", "Mustang", 2015));  // no price
  const MarketIndex index = builder.build();
  EXPECT_EQ(index.models(), 2u);

  Comparables c = index.comparables(listing("Ford", "Mustang", 2015, 10000));
  EXPECT_EQ(c.count, 2u);  // 2014 and 2016; not itself, not 2013 or 2017
  EXPECT_EQ(c.batch_count, 2u);
  EXPECT_EQ(c.database_count, 0u);
  EXPECT_EQ(c.median, 25000);
  // The unpriced 2015 listing has all three priced ones as comparables.
  c = index.comparables(listing("Ford", "Mustang", 2015));
  EXPECT_EQ(c.count, 3u);
  EXPECT_EQ(c.median, 20000);
  // 2016: 2015, 2017 (not 2014).
  c = index.comparables(listing("FORD", "mustang", 2016, 30000));
  EXPECT_EQ(c.count, 2u);
  EXPECT_EQ(c.median, 50000);
  // Alone in its model.
  c = index.comparables(listing("Ford", "Mustang  GT", 2015, 99000));
  EXPECT_EQ(c.count, 0u);
  // A model or year the batch did not have: nothing.
  EXPECT_EQ(index.comparables(listing("Kia", "Rio", 2015, 1)).count, 0u);
  EXPECT_EQ(index.comparables(listing("Ford", "Mustang", 2030, 1)).count, 0u);
}

TEST(MarketIndex, AWiderWindowReachesFurther) {
  MarketIndexBuilder builder(2);
  builder.add_batch_listing(next_position(), listing("Kia", "Rio", 2010, 1000));
  builder.add_batch_listing(next_position(), listing("Kia", "Rio", 2012, 3000));
  builder.add_batch_listing(next_position(), listing("Kia", "Rio", 2013, 9000));
  const MarketIndex index = builder.build();
  EXPECT_EQ(index.comparables(listing("Kia", "Rio", 2010, 1000)).count, 1u);
  EXPECT_EQ(index.comparables(listing("Kia", "Rio", 2012, 3000)).count, 2u);
}

TEST(MarketIndex, IdenticalListingsAreEachOthersComparables) {
  MarketIndexBuilder builder(1);
  for (int i = 0; i < 3; ++i)
    builder.add_batch_listing(next_position(), listing("Honda", "Civic", 2018, 15000));
  const MarketIndex index = builder.build();
  const Comparables c = index.comparables(listing("Honda", "Civic", 2018, 15000));
  EXPECT_EQ(c.count, 2u);
  EXPECT_EQ(c.median, 15000);
}

TEST(MarketIndex, DatabaseListingsCountOnlyForTheBatchsModels) {
  MarketIndexBuilder builder(1);
  builder.add_batch_listing(next_position(), listing("Ford", "Focus", 2012, 8000));
  builder.add_batch_listing(next_position(), listing("Ford", "Focus", 2012, 9000));
  builder.add_database_listing("FORD", " focus", 2013, 7000);
  builder.add_database_listing("Ford", "Focus", 2011, 10000);
  builder.add_database_listing("Ford", "Focus", 2014, 1000);   // outside the window
  builder.add_database_listing("Ford", "Fiesta", 2012, 5000);  // not a batch model
  builder.add_database_listing("Ford", "Focus", 2012, 0);      // unpriced
  builder.add_database_listing("Ford", "Focus", 2012, -5);
  EXPECT_EQ(builder.batch_makes(), std::vector<std::string>{"ford"});
  const MarketIndex index = builder.build();
  const Comparables c = index.comparables(listing("Ford", "Focus", 2012, 8000));
  EXPECT_EQ(c.batch_count, 1u);
  EXPECT_EQ(c.database_count, 2u);
  EXPECT_EQ(c.count, 3u);
  EXPECT_EQ(c.median, 9000);  // {7000, 9000, 10000}
}

TEST(MarketFeatures, NeedStringMakeAndModelAndAnIntegerYear) {
  simdjson::dom::parser parser;
  MarketFeatures f;
  auto features = [&](const char* json) {
    return market_features(parser.parse(json, std::strlen(json)).get_object().value(), f);
  };
  ASSERT_TRUE(features(R"({"make":"Ford","model":"F-150","year":2019,"price":31000})"));
  EXPECT_EQ(f.year, 2019);
  EXPECT_TRUE(f.has_price);
  EXPECT_EQ(f.price, 31000);
  EXPECT_EQ(f.model_key, model_key("ford", "f-150"));
  ASSERT_TRUE(features(R"({"make":"Ford","model":"F-150","year":2019,"price":0})"));
  EXPECT_FALSE(f.has_price);
  ASSERT_TRUE(features(R"({"make":"Ford","model":"F-150","year":2019,"price":"31000"})"));
  EXPECT_FALSE(f.has_price);
  EXPECT_FALSE(features(R"({"make":"Ford","model":"F-150"})"));
  EXPECT_FALSE(features(R"({"make":"Ford","year":2019})"));
  EXPECT_FALSE(features(R"({"model":"F-150","year":2019})"));
  EXPECT_FALSE(features(R"({"make":"Ford","model":"F-150","year":"2019"})"));
  EXPECT_FALSE(features(R"({"make":1,"model":"F-150","year":2019})"));
}

// The memo answers what market_features() answers, for repeated spellings
// and for spellings that differ only in case or where the separator falls.
TEST(MarketFeatures, TheMemoAgreesWithMarketFeatures) {
  const char* records[] = {
      R"({"make":"Ford","model":"F-150","year":2019,"price":31000})",
      R"({"make":"FORD","model":"f-150 ","year":2018})",
      R"({"make":"Ford","model":"F-150","year":2017,"price":1})",
      R"({"make":"Ford F","model":"150","year":2019})",
      R"({"make":"Ford","model":"F 150","year":2019})",
      R"({"make":"Citroën","model":"DS","year":1970})",
      R"({"make":"Ford","model":1,"year":2019})",
      R"({"year":1999,"make":"Ford","model":"F-150","year":2019,"price":"x","price":5})",
  };
  simdjson::dom::parser parser;
  MarketFeatureReader memo;
  FieldNames names;  // as the first pass lists them: walked, not scanned
  for (std::string_view field : {"make", "model", "year", "price"}) names.add(field);
  RecordFields fields;
  for (int pass = 0; pass < 2; ++pass) {
    for (const char* json : records) {
      MarketFeatures expected, got;
      const auto record = parser.parse(json, std::strlen(json)).get_object().value();
      const bool has = market_features(record, expected);
      fields.read(names, record);
      ASSERT_EQ(memo.read(fields, got), has) << json;
      if (!has) continue;
      EXPECT_EQ(got.model_key, expected.model_key) << json;
      EXPECT_EQ(got.year, expected.year) << json;
      EXPECT_EQ(got.has_price, expected.has_price) << json;
      EXPECT_EQ(got.price, expected.price) << json;
    }
  }
}

TEST(ListingKeyBits, ReadTheFirst64BitsOfTheHexKey) {
  EXPECT_EQ(listing_key_bits("00000000000000ff"
                             "0123"),
            0xffu);
  EXPECT_EQ(listing_key_bits("ffffffffffffffff"), ~std::uint64_t{0});
  EXPECT_NE(listing_key_bits("a1b2c3d4e5f60718aaaa"), listing_key_bits("a1b2c3d4e5f60719aaaa"));
  EXPECT_EQ(listing_key_bits("not hex"), 0u);
}

}  // namespace
}  // namespace haul::enrich

namespace haul::enrich {
namespace {

TEST(MarketIndex, TheSecondPassFindsEachListingByItsPosition) {
  MarketIndexBuilder builder(1);
  MarketFeatures a, b;
  ASSERT_TRUE(!a.has_price);
  a.model_key = model_key("Ford", "Mustang");
  a.year = 2015;
  a.price = 10000;
  a.has_price = true;
  b = a;
  b.price = 30000;
  builder.add_batch_listing(3, a);
  builder.add_batch_listing(7, b);
  const MarketIndex index = builder.build();
  EXPECT_EQ(index.listing_at(0), nullptr);
  EXPECT_EQ(index.listing_at(5), nullptr);
  EXPECT_EQ(index.listing_at(100), nullptr);
  ASSERT_NE(index.listing_at(3), nullptr);
  EXPECT_EQ(index.listing_at(3)->price, 10000);
  const Comparables found = index.comparables(*index.listing_at(7));
  EXPECT_EQ(found.count, 1u);
  EXPECT_EQ(found.median, 10000);
}

}  // namespace
}  // namespace haul::enrich

namespace haul::enrich {
namespace {

// Every listing's median against a brute-force one over the same
// comparables: same model, year within ±1, itself left out.
TEST(MarketIndex, MediansMatchABruteForceOnRandomBatchesAndDatabases) {
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    MarketIndexBuilder builder(1);
    std::vector<MarketFeatures> all;
    const int n = 1 + static_cast<int>(random() % 60);
    for (int i = 0; i < n; ++i) {
      MarketFeatures f;
      f.model_key = model_key("Make", random() % 2 ? "A" : "B");
      f.year = 2000 + static_cast<int>(random() % 4);
      f.has_price = random() % 5 != 0;
      f.price = f.has_price ? 1000.0 * (1 + random() % 8) : 0;  // many equal prices
      builder.add_batch_listing(static_cast<std::uint64_t>(i), f);
      all.push_back(f);
    }
    // The database's listings, some in years no batch listing has.
    struct DatabaseListing {
      std::string model_key;
      int year;
      double price;
    };
    std::vector<DatabaseListing> database;
    const int in_database = static_cast<int>(random() % 30);
    for (int i = 0; i < in_database; ++i) {
      const char* model = random() % 2 ? "A" : "B";
      const int year = 1999 + static_cast<int>(random() % 6);
      const double price = 500.0 * (1 + random() % 16);
      builder.add_database_listing("Make", model, year, price);
      database.push_back({model_key("Make", model), year, price});
    }
    const MarketIndex index = builder.build();
    for (int i = 0; i < n; ++i) {
      std::vector<double> prices;
      for (int j = 0; j < n; ++j) {
        if (j != i && all[j].has_price && all[j].model_key == all[i].model_key &&
            std::abs(all[j].year - all[i].year) <= 1) {
          prices.push_back(all[j].price);
        }
      }
      for (const DatabaseListing& d : database) {
        if (d.model_key == all[i].model_key && std::abs(d.year - all[i].year) <= 1) {
          prices.push_back(d.price);
        }
      }
      std::sort(prices.begin(), prices.end());
      const auto position = static_cast<std::uint64_t>(i);
      const Comparables found = index.comparables(*index.listing_at(position));
      const Comparables by_position = index.comparables_at(position);
      ASSERT_EQ(by_position.count, found.count) << "round " << round << " listing " << i;
      ASSERT_EQ(by_position.median, found.median) << "round " << round << " listing " << i;
      ASSERT_EQ(found.count, prices.size()) << "round " << round << " listing " << i;
      if (prices.empty()) continue;
      const std::size_t m = prices.size();
      const double expected = m % 2 ? prices[m / 2] : (prices[m / 2 - 1] + prices[m / 2]) / 2;
      ASSERT_EQ(found.median, expected) << "round " << round << " listing " << i;
    }
  }
}

}  // namespace
}  // namespace haul::enrich
