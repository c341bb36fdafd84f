#include "enrich/place.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace haul::enrich {
namespace {

Place from_json(const std::string& json) {
  static simdjson::dom::parser parser;  // the object lives in the parser's document
  return parse_place(parser.parse(json).get_object().value());
}

void expect_place(const Place& place, std::string street, std::string city, std::string region,
                  std::string postcode, std::string country) {
  EXPECT_EQ(place.street, street);
  EXPECT_EQ(place.city, city);
  EXPECT_EQ(place.region, region);
  EXPECT_EQ(place.postcode, postcode);
  EXPECT_EQ(place.country, country);
}

TEST(ParseAddress, KijijiStyleAddresses) {
  expect_place(parse_address("5298 Highway 7, Woodbridge, ON, L4L 1T3"), "5298 Highway 7",
               "Woodbridge", "ON", "L4L 1T3", "CA");
  expect_place(parse_address("1200 Dundas St E, Mississauga, ON L4Y 2C5"), "1200 Dundas St E",
               "Mississauga", "ON", "L4Y 2C5", "CA");
  expect_place(parse_address("88 Rue Principale, Gatineau, QC, j8x2n4"), "88 Rue Principale",
               "Gatineau", "QC", "J8X 2N4", "CA");
  expect_place(parse_address("Toronto, ON"), "", "Toronto", "ON", "", "CA");
  expect_place(parse_address("Calgary, Alberta, Canada"), "", "Calgary", "AB", "", "CA");
  expect_place(parse_address("Unit 4, 12 King St W, Hamilton, Ontario, L8P 1A1, Canada"),
               "Unit 4, 12 King St W", "Hamilton", "ON", "L8P 1A1", "CA");
  expect_place(parse_address("Montréal, Québec"), "", "Montréal", "QC", "", "CA");
  // "CA" after a province is the country, not California.
  expect_place(parse_address("Toronto, ON, CA"), "", "Toronto", "ON", "", "CA");
}

TEST(ParseAddress, UsAddressesWithZipAndZipPlusFour) {
  expect_place(parse_address("123 Main St, Austin, TX 78701"), "123 Main St", "Austin", "TX",
               "78701", "US");
  expect_place(parse_address("123 Main St, Austin, TX 78701-1234, USA"), "123 Main St", "Austin",
               "TX", "78701-1234", "US");
  expect_place(parse_address("Austin TX"), "", "Austin", "TX", "", "US");
  expect_place(parse_address("500 Broadway, New York, New York 10012"), "500 Broadway", "New York",
               "NY", "10012", "US");
  expect_place(parse_address("Los Angeles, CA"), "", "Los Angeles", "CA", "", "US");
  expect_place(parse_address("9 Elm Rd, Los Angeles, CA 90001, United States"), "9 Elm Rd",
               "Los Angeles", "CA", "90001", "US");
  expect_place(parse_address("Washington, DC"), "", "Washington", "DC", "", "US");
  // A ZIP alone tells the country.
  expect_place(parse_address("Springfield, 62701"), "", "Springfield", "", "62701", "US");
}

TEST(ParseAddress, ExtraSpacesAndLowerCaseCodes) {
  expect_place(parse_address("  5298   Highway 7 ,  Woodbridge ,on ,  l4l   1t3  "),
               "5298 Highway 7", "Woodbridge", "ON", "L4L 1T3", "CA");
  expect_place(parse_address("austin,   tx   78701"), "", "austin", "TX", "78701", "US");
  expect_place(parse_address("Ottawa,\tOntario\n"), "", "Ottawa", "ON", "", "CA");
}

TEST(ParseAddress, InvalidLookingCodesAreNotTaken) {
  // ZZ is no state, 1234 no ZIP, D1D 1D1 no Canadian postal code.
  expect_place(parse_address("Springfield, ZZ"), "", "Springfield", "", "", "");
  expect_place(parse_address("Springfield, ZZ 1234"), "", "Springfield", "", "", "");
  EXPECT_EQ(parse_address("Halifax, NS, D1D 1D1").postcode, "");
  EXPECT_EQ(parse_address("Halifax, NS, D1D 1D1").region, "NS");
  EXPECT_EQ(parse_address("Austin, TX 787011").postcode, "");
  // A postcode of the other country contradicts the region and is dropped.
  expect_place(parse_address("Austin, TX, L4L 1T3"), "", "Austin", "TX", "", "US");
}

TEST(ParseAddress, GarbageAndEmptyGiveEmptyOrPartialPlaces) {
  EXPECT_TRUE(parse_address("").empty());
  EXPECT_TRUE(parse_address("   ,  , ,").empty());
  EXPECT_TRUE(parse_address("!!! ??? ---").empty());
  EXPECT_TRUE(parse_address("N/A").empty());
  EXPECT_TRUE(parse_address(std::string(5000, 'x')).empty());
  const Place invalid_utf8 = parse_address(
      "Montr\xC3\x28"
      "al, QC");
  EXPECT_EQ(invalid_utf8.region, "QC");
  EXPECT_EQ(invalid_utf8.city, "Montr\xEF\xBF\xBD(al");  // U+FFFD, never invalid bytes
  expect_place(parse_address("123 Main St"), "123 Main St", "", "", "", "");
  expect_place(parse_address("Toronto"), "", "Toronto", "", "", "");
}

TEST(ParsePlace, ExplicitFieldsWinOverTheAddress) {
  const Place place = from_json(R"({"address":"5298 Highway 7, Woodbridge, ON, L4L 1T3",
      "locationCity":"Vaughan","locationPostcode":"l6a 1s6"})");
  expect_place(place, "5298 Highway 7", "Vaughan", "ON", "L6A 1S6", "CA");

  const Place us =
      from_json(R"({"locationCity":"Austin","locationState":"tx","zip":"78701-1234"})");
  expect_place(us, "", "Austin", "TX", "78701-1234", "US");

  // An explicit state overrides the address's and with it the country the address implied.
  const Place moved = from_json(R"({"address":"Toronto, ON","locationState":"TX"})");
  expect_place(moved, "", "Toronto", "TX", "", "US");

  // Full names, and the other postcode field names.
  expect_place(
      from_json(R"({"locationCity":"Calgary","locationState":"Alberta","postalCode":"T2P1J9"})"),
      "", "Calgary", "AB", "T2P 1J9", "CA");
  expect_place(from_json(R"({"locationCity":"Boise","postcode":"83702","locationCountry":"USA"})"),
               "", "Boise", "", "83702", "US");
}

TEST(ParsePlace, CountryInferenceAndContradictions) {
  EXPECT_EQ(from_json(R"({"locationCity":"X","locationState":"QC"})").country, "CA");
  EXPECT_EQ(from_json(R"({"locationCity":"X","locationPostcode":"H2X 1Y4"})").country, "CA");
  EXPECT_EQ(from_json(R"({"locationCity":"X","zip":"10001"})").country, "US");
  EXPECT_EQ(from_json(R"({"locationCity":"X"})").country, "");
  // "CA" as a state is California unless the country says Canada; then it contradicts it.
  expect_place(from_json(R"({"locationCity":"Fresno","locationState":"CA"})"), "", "Fresno", "CA",
               "", "US");
  expect_place(
      from_json(R"({"locationCity":"Fresno","locationState":"CA","locationCountry":"Canada"})"), "",
      "Fresno", "", "", "CA");
  // Another country is kept as its code; US/CA regions contradict it.
  expect_place(from_json(R"({"locationCity":"Lyon","locationState":"ON","locationCountry":"fr"})"),
               "", "Lyon", "", "", "FR");
}

TEST(ParsePlace, NonStringValuesAndBadCodesAreIgnored) {
  const Place place = from_json(R"({"locationCity":42,"locationState":["TX"],"zip":78701,
      "locationPostcode":null,"locationCountry":{"code":"US"},"address":true})");
  EXPECT_TRUE(place.empty());
  expect_place(place, "", "", "", "", "");
  // An invalid explicit state does not erase the address's valid one.
  expect_place(from_json(R"({"address":"Austin, TX","locationState":"ZZ"})"), "", "Austin", "TX",
               "", "US");
  expect_place(from_json(R"({"locationCity":"   ","locationState":"Texass","zip":"7870"})"), "", "",
               "", "", "");
  EXPECT_TRUE(from_json("{}").empty());
}

TEST(PlaceKey, FoldsCaseAccentsPunctuationAndSaints) {
  EXPECT_EQ(place_key("MONTRÉAL"), "montreal");
  EXPECT_EQ(place_key("  Saint-Jérôme "), "st jerome");
  EXPECT_EQ(place_key("St. Jerome"), "st jerome");
  EXPECT_EQ(place_key("Fort  Worth"), "ft worth");
  EXPECT_EQ(place_key("Coeur d’Alene"), "coeur d alene");
  EXPECT_EQ(place_key("Ｔｏｒｏｎｔｏ"), "toronto");  // NFKC: full-width letters
}

}  // namespace
}  // namespace haul::enrich

namespace haul::enrich {
namespace {

// The memo, reading the first pass's walked fields, answers exactly what
// parse_place() answers scanning the record, for repeats, for inputs that
// differ only in which field holds a value, and for duplicate names (the
// first counts).
TEST(MemoPlaceParser, AgreesWithParsePlace) {
  const std::vector<std::string> records = {
      R"({"locationCity":"Austin","locationState":"TX"})",
      R"({"locationCity":"Austin","locationState":"TX"})",
      R"({"locationCity":"Austin","locationState":"MN"})",
      R"({"locationCity":"AustinTX"})",
      R"({"locationCity":"Austin","zip":"TX"})",
      R"({"address":"5298 Highway 7, Woodbridge, ON, L4L 1T3"})",
      R"({"address":"5298 Highway 7, Woodbridge, ON, L4L 1T3","locationCity":"Vaughan"})",
      R"({"locationCity":42,"locationState":"TX"})",
      R"({"locationState":"TX"})",
      R"({})",
      R"({"locationCity":"Dallas","mileage":1,"locationCity":"Austin","locationState":"TX"})",
  };
  MemoPlaceParser memo;
  FieldNames names;
  for (std::string_view field : kPlaceFields) names.add(field);
  RecordFields fields;
  simdjson::dom::parser parser;
  std::vector<std::uint64_t> ids;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& text : records) {
      simdjson::dom::object record = parser.parse(text).get_object().value();
      const Place expected = parse_place(record);
      fields.read(names, record);
      const MemoPlaceParser::Parsed parsed = memo.parse(fields);
      const Place& got = parsed.place;
      ids.push_back(parsed.id);
      EXPECT_EQ(got.street, expected.street) << text;
      EXPECT_EQ(got.city, expected.city) << text;
      EXPECT_EQ(got.region, expected.region) << text;
      EXPECT_EQ(got.postcode, expected.postcode) << text;
      EXPECT_EQ(got.country, expected.country) << text;
    }
  }
  // One id per distinct set of place fields (a non-string value reads as
  // absent: records 7 and 8 are one place), the same on the second pass.
  const std::size_t n = records.size();
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(ids[i], ids[n + i]) << records[i];
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[7], ids[8]);
  EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), n - 2);
}

}  // namespace
}  // namespace haul::enrich
