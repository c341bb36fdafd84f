#include "dedup/record_identity.hpp"

#include <gtest/gtest.h>

#include "support/json_doc.hpp"

namespace haul::dedup {
namespace {

using testing::JsonDoc;

RecordHashes hashes_of(RecordIdentity& identity, std::string_view json) {
  JsonDoc doc(json);
  return identity.hashes(simdjson::dom::object(doc.root()));
}

// Expected digests computed with the original pipeline's generateVehicleHash
// run on Node.js 20 (crypto.createHash('sha256') over
// [make, model, year, stockNumber || '', sourceName].join('|').toLowerCase()).
struct OriginalVector {
  const char* record;
  const char* data_hash;
};
const OriginalVector kOriginalVectors[] = {
    {R"({"make":"Ford","model":"Mustang","year":1967,"stockNumber":"A-100","sourceName":"Demo Dealer"})",
     "b2fda6a1735efe9aeebace79530d93ac99e8c82a4533ff6dca3010f70a29edcd"},
    {R"({"make":"Ford","model":"Mustang","year":1967,"sourceName":"Demo Dealer"})",
     "3bf8f9ce5141c5e15d2bd7bde3a7d9ca1defbca5b9170670afc7fbfbca1b55a9"},
    {R"({"make":"Citroën","model":"DS 21 Pallas","year":1972,"stockNumber":"ÉCLAIR-9","sourceName":"Garage Müller"})",
     "5aa054625bdf90da570a71e704accf8463c9a663e3050be8b41f93258f6a499d"},
    {R"({"make":"MERCEDES-BENZ","model":"280 SL","year":1969,"stockNumber":"","sourceName":"AUTOLIST"})",
     "95c8c9364a9c7934ac7e7ef10aeaaefd99fbbea91ff27c3966f9f873449cf450"},
    {R"({"make":"İSUZU","model":"ΣΙΓΜΑ Trooper","year":1988,"stockNumber":"ΟΔΟΣ","sourceName":"Ελλάδα Cars"})",
     "00742085833f206be0337f7f6c711c656c3ddfe158a943372cbcfb8748478a2f"},
    {R"({"make":"Škoda","model":"Octavia RS","year":2019.5,"stockNumber":null,"sourceName":"Kijiji"})",
     "ba04d02866802328df4231066ad7767fdaa04ba4627bc0ad446cc0532e997e74"},
    {R"({"make":"Tesla","model":"Model 3 🚗","year":2021,"stockNumber":"x","sourceName":"Straße"})",
     "80e74410cc6676e2e2c45be1f300abbb7bc698d4dd4da341a11ad39bc1021614"},
};

TEST(RecordIdentity, DataHashEqualsTheOriginalPipelinesGenerateVehicleHash) {
  RecordIdentity identity(default_config("vehicles"));
  for (const auto& vector : kOriginalVectors) {
    EXPECT_EQ(hashes_of(identity, vector.record).data_hash, vector.data_hash) << vector.record;
  }
}

TEST(RecordIdentity, DataHashIgnoresFieldOrderMetaAndExtraFields) {
  RecordIdentity identity(default_config("vehicles"));
  auto hash = hashes_of(identity,
                        R"({"sourceName":"Demo Dealer","price":9,"year":1967,"model":"Mustang",)"
                        R"("make":"Ford","stockNumber":"A-100","_meta":{"raw_index":4}})")
                  .data_hash;
  EXPECT_EQ(hash, kOriginalVectors[0].data_hash);
}

TEST(RecordIdentity, ListingKeyUsesTheFirstCompleteAlternative) {
  RecordIdentity identity(default_config("vehicles"));
  // Same stock number at the same source: the same listing, whatever else changed.
  auto a = hashes_of(identity, R"({"make":"Ford","stockNumber":"A-1","sourceName":"D","price":1})");
  auto b = hashes_of(identity, R"({"make":"Ford","stockNumber":"a-1 ","sourceName":"D","price":2})");
  EXPECT_EQ(a.listing_key, b.listing_key);
  EXPECT_NE(a.content_hash, b.content_hash);
  // No stock number: the VIN decides, so two different cars stay apart even
  // though the original data_hash cannot tell them apart.
  auto c = hashes_of(identity, R"({"make":"Toyota","model":"Corolla","year":2015,"sourceName":"K","vin":"2T1BURHE0FC123456"})");
  auto d = hashes_of(identity, R"({"make":"Toyota","model":"Corolla","year":2015,"sourceName":"K","vin":"2T1BURHE0FC654321"})");
  EXPECT_EQ(c.data_hash, d.data_hash);
  EXPECT_NE(c.listing_key, d.listing_key);
  // Then the car id in the URL.
  auto e = hashes_of(identity, R"({"make":"Ford","sourceName":"D","sourceUrl":"https://d.example/inventory/104123"})");
  auto f = hashes_of(identity, R"({"make":"Ford","sourceName":"D","sourceUrl":"https://d.example/inventory/104123?utm=x","price":5})");
  EXPECT_EQ(e.listing_key, f.listing_key);
  // Nothing identifying: the content decides.
  auto g = hashes_of(identity, R"({"make":"Ford","sourceName":"D","price":5})");
  auto h = hashes_of(identity, R"({"make":"Ford","sourceName":"D","price":6})");
  EXPECT_NE(g.listing_key, h.listing_key);
  EXPECT_EQ(g.listing_key, hashes_of(identity, R"({"make":"Ford","sourceName":"D","price":5})").listing_key);
}

TEST(RecordIdentity, ContentHashIgnoresMetaAndHashFieldsButNotCase) {
  RecordIdentity identity(default_config("vehicles"));
  auto a = hashes_of(identity, R"({"make":"Ford","_meta":{"raw_index":1}})");
  auto b = hashes_of(identity, R"({"make":"Ford","_meta":{"raw_index":2},"data_hash":"x","listing_key":"y"})");
  auto c = hashes_of(identity, R"({"make":"FORD"})");
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_NE(a.content_hash, c.content_hash);
  EXPECT_EQ(a.content_hash.size(), 64u);
}

TEST(RecordIdentity, ExactKeyIgnoresCaseSpacingAndMeta) {
  RecordIdentity identity(default_config("vehicles"));
  auto key = [&](std::string_view json) {
    JsonDoc doc(json);
    return identity.exact_key(simdjson::dom::object(doc.root()));
  };
  EXPECT_EQ(key(R"({"make":"Ford","model":"Mustang  GT","_meta":{"raw_index":1}})"),
            key(R"({"make":"FORD","model":" mustang gt","_meta":{"raw_index":9}})"));
  EXPECT_NE(key(R"({"make":"Ford","model":"Mustang"})"), key(R"({"make":"Ford","model":"Mustang","vin":"X"})"));
  EXPECT_NE(key(R"({"make":"Ford","model":"Mustang"})"), key(R"({"make":"Ford","model":"Mustan"})"));
}

TEST(RecordIdentity, JsJoinWritesNumbersAsJavaScriptDoes) {
  auto js = [](std::string_view json) {
    JsonDoc doc(json);
    std::string out;
    append_js_join_value(out, doc.root());
    return out;
  };
  EXPECT_EQ(js("1967"), "1967");
  EXPECT_EQ(js("1967.0"), "1967");
  EXPECT_EQ(js("-0.0"), "0");
  EXPECT_EQ(js("2019.5"), "2019.5");
  EXPECT_EQ(js("0.1"), "0.1");
  EXPECT_EQ(js("1e21"), "1e+21");
  EXPECT_EQ(js("1.5e-7"), "1.5e-7");
  EXPECT_EQ(js("null"), "");
  EXPECT_EQ(js("true"), "true");
  EXPECT_EQ(js("[1,\"a\",null]"), "1,a,");
}

}  // namespace
}  // namespace haul::dedup
