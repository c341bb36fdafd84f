// Micro-benchmarks of haul-validate's per-record building blocks (Google
// Benchmark), to see which part a change made faster or slower without the
// noise of I/O and threads: JSON string escaping, number coercion, the
// schema check of one record, and the whole check of one record (mapping,
// coercion, schema, rules, output line).
//
//   build/bench/bench_micro_validate [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "io/json_writer.hpp"
#include "schema/coercion.hpp"
#include "schema/record_policy.hpp"
#include "schema/schema.hpp"
#include "validate/record_checker.hpp"

namespace {

using namespace haul;

constexpr std::string_view kRecord =
    R"({"make":"Chevrolet","model":"Bel Air","year":1957,"price":"$11,010","mileage":"76,656 Miles",)"
    R"("description":"1957 Chevrolet Bel Air in Champagne Beige over saddle leather interior. )"
    R"(Trades considered — call for details. Recent tune-up, new water pump, hoses and belts.",)"
    R"("imageUrl":"https://photos.example.com/photos/100805/23.jpg","locationCity":"Indianapolis",)"
    R"("locationState":"IN","condition":"Project","category":"Muscle Cars","sourceName":"Example",)"
    R"("sourceUrl":"https://example.com/listings/view/100805","stockNumber":"CC-809159"})";

std::string vehicles_schema() {
  std::ifstream in(std::string(HAUL_SOURCE_DIR) + "/config/schemas/vehicles.schema.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void BM_EscapeShortString(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    io::append_json_string(out, "Indianapolis");
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EscapeShortString);

void BM_EscapeDescription(benchmark::State& state) {
  std::string text(static_cast<std::size_t>(state.range(0)), 'a');
  std::string out;
  for (auto _ : state) {
    out.clear();
    io::append_json_string(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EscapeDescription)->Arg(100)->Arg(1500);

void BM_ParsePrice(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(schema::parse_number_text("$25,998"));
}
BENCHMARK(BM_ParsePrice);

void BM_SchemaValidate(benchmark::State& state) {
  std::string error;
  auto compiled = schema::Schema::compile(vehicles_schema(), {}, error);
  simdjson::dom::parser parser;
  std::string record = R"({"make":"Chevrolet","model":"Bel Air","year":1957,"price":11010,)"
                       R"("sourceName":"Example","sourceUrl":"https://example.com/listings/1"})";
  simdjson::dom::element element = parser.parse(record);
  schema::ValidationErrors errors;
  for (auto _ : state) {
    errors.clear();
    benchmark::DoNotOptimize(compiled->validate(element, errors));
  }
}
BENCHMARK(BM_SchemaValidate);

void BM_CheckRecord(benchmark::State& state) {
  std::string text = vehicles_schema();
  std::string error;
  auto compiled = schema::Schema::compile(text, {}, error);
  schema::RecordPolicy policy;
  (void)schema::RecordPolicy::compile(text, policy);
  validate::RecordChecker checker(*compiled, policy, *Date::parse("2026-01-15"));
  simdjson::dom::parser parser;
  std::string prefix =
      validate::meta_prefix("bench", "vehicles", "raw/2026-01-15/vehicles/b_001.json");
  validate::Provenance provenance{"bench", "vehicles", "raw/2026-01-15/vehicles/b_001.json", 0, 0,
                                  1,       prefix};
  std::string out;
  schema::ValidationErrors errors;
  for (auto _ : state) {
    simdjson::dom::element element = parser.parse(kRecord.data(), kRecord.size());
    out.clear();
    errors.clear();
    if (!checker.check(element, nullptr, provenance, out, errors)) state.SkipWithError("invalid");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kRecord.size()));
}
BENCHMARK(BM_CheckRecord);

}  // namespace

BENCHMARK_MAIN();
