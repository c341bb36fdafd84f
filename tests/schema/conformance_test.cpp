// Runs the JSON-Schema-Test-Suite subset in ../shared against the schema
// engine. Top-level files run with format as an annotation (the 2020-12
// default); optional/format files run with format assertion on. A case is
// either passed or on the reviewed skip list below; nothing is skipped
// silently.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "schema/schema.hpp"

namespace haul::schema {
namespace {

namespace fs = std::filesystem;

struct Skip {
  std::string_view file;  // relative to the suite directory
  std::string_view case_description;
  std::string_view test_description;  // "*": every test of the case
  std::string_view reason;
};

// Every entry names a keyword haul's engine refuses to compile. The schema
// of each of these cases uses it, so none of its tests can run.
constexpr Skip kSkips[] = {
    {"additionalProperties.json",
     "additionalProperties being false does not allow other properties", "*",
     "uses patternProperties, not supported by haul's engine"},
    {"additionalProperties.json", "non-ASCII pattern with additionalProperties", "*",
     "uses patternProperties, not supported by haul's engine"},
    {"additionalProperties.json", "additionalProperties does not look in applicators", "*",
     "uses allOf, not supported by haul's engine"},
    {"additionalProperties.json", "additionalProperties with propertyNames", "*",
     "uses propertyNames, not supported by haul's engine"},
    {"additionalProperties.json", "dependentSchemas with additionalProperties", "*",
     "uses dependentSchemas, not supported by haul's engine"},
    {"items.json", "items and subitems", "*",
     "uses $defs, $ref and prefixItems, not supported by haul's engine"},
    {"items.json", "prefixItems with no additional items allowed", "*",
     "uses prefixItems, not supported by haul's engine"},
    {"items.json", "items does not look in applicators, valid case", "*",
     "uses allOf and prefixItems, not supported by haul's engine"},
    {"items.json", "prefixItems validation adjusts the starting index for items", "*",
     "uses prefixItems, not supported by haul's engine"},
    {"items.json", "items with heterogeneous array", "*",
     "uses prefixItems, not supported by haul's engine"},
    {"properties.json", "properties, patternProperties, additionalProperties interaction", "*",
     "uses patternProperties and maxItems, not supported by haul's engine"},
};

const Skip* find_skip(std::string_view file, std::string_view case_description,
                      std::string_view test_description) {
  for (const Skip& skip : kSkips) {
    if (skip.file == file && skip.case_description == case_description &&
        (skip.test_description == "*" || skip.test_description == test_description)) {
      return &skip;
    }
  }
  return nullptr;
}

fs::path suite_directory() {
  if (const char* shared = std::getenv("HAUL_SHARED_DIR")) {
    return fs::path(shared) / "json-schema-test-suite";
  }
  return fs::path(HAUL_SOURCE_DIR) / ".." / "shared" / "json-schema-test-suite";
}

std::vector<fs::path> json_files_in(const fs::path& directory) {
  std::vector<fs::path> files;
  if (!fs::is_directory(directory)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Tally {
  int passed = 0;
  int skipped = 0;
  int failed = 0;
  std::vector<bool> skip_used = std::vector<bool>(std::size(kSkips));
};

void run_file(const fs::path& directory, const fs::path& file, bool format_assertion,
              Tally& tally) {
  const std::string name = fs::relative(file, directory).generic_string();
  simdjson::padded_string text;
  ASSERT_EQ(simdjson::padded_string::load(file.string()).get(text), simdjson::SUCCESS) << name;
  simdjson::dom::parser parser;
  simdjson::dom::array cases;
  ASSERT_EQ(parser.parse(text).get_array().get(cases), simdjson::SUCCESS) << name;

  for (const simdjson::dom::element test_case : cases) {
    const std::string_view case_description = test_case["description"].get_string().value();
    const std::string schema_json = simdjson::minify(test_case["schema"].value());
    const simdjson::dom::array tests = test_case["tests"].get_array().value();

    std::optional<Schema> schema;
    std::string compile_error;
    for (const simdjson::dom::element test : tests) {
      const std::string_view test_description = test["description"].get_string().value();
      if (const Skip* skip = find_skip(name, case_description, test_description)) {
        tally.skip_used[skip - kSkips] = true;
        ++tally.skipped;
        continue;
      }
      if (!schema && compile_error.empty()) {
        schema = Schema::compile(schema_json, CompileOptions{.format_assertion = format_assertion},
                                 compile_error);
      }
      const std::string where =
          name + " | " + std::string(case_description) + " | " + std::string(test_description);
      if (!schema) {
        ++tally.failed;
        ADD_FAILURE() << where << ": schema did not compile: " << compile_error;
        continue;
      }
      ValidationErrors errors;
      const bool valid = schema->validate(test["data"].value(), errors);
      if (valid == test["valid"].get_bool().value()) {
        ++tally.passed;
      } else {
        ++tally.failed;
        ADD_FAILURE() << where << ": expected " << (valid ? "invalid" : "valid")
                      << (errors.empty() ? std::string() : ", got: " + errors[0].message);
      }
    }
  }
}

TEST(ConformanceTest, JsonSchemaTestSuite) {
  const fs::path directory = suite_directory();
  if (!fs::is_directory(directory)) GTEST_SKIP() << "skipped: ../shared not present";

  Tally tally;
  for (const fs::path& file : json_files_in(directory)) {
    run_file(directory, file, /*format_assertion=*/false, tally);
  }
  for (const fs::path& file : json_files_in(directory / "optional" / "format")) {
    run_file(directory, file, /*format_assertion=*/true, tally);
  }

  std::cout << "conformance: " << tally.passed << " passed, " << tally.skipped
            << " skipped (listed), " << tally.failed << " failed\n";
  EXPECT_GT(tally.passed, 0);
  EXPECT_EQ(tally.failed, 0);
  // A skip entry that matches nothing is stale: the list must stay reviewed.
  for (std::size_t i = 0; i < std::size(kSkips); ++i) {
    EXPECT_TRUE(tally.skip_used[i])
        << "unused skip entry: " << kSkips[i].file << " | " << kSkips[i].case_description;
  }
}

}  // namespace
}  // namespace haul::schema
