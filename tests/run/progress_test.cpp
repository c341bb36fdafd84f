#include "run/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

namespace haul::run {
namespace {

TEST(Progress, RendersBarPercentRecordsAndRate) {
  EXPECT_EQ(Progress::render("validate 2026-01-15/vehicles", 50, 100, 1'234'567, 0.5),
            "validate 2026-01-15/vehicles [############............]  50%  1.2M records  0 MB/s");
  EXPECT_EQ(Progress::render("x", 300'000'000, 300'000'000, 42, 1.0),
            "x [########################] 100%  42 records  300 MB/s");
  EXPECT_EQ(Progress::render("x", 5, 0, 0, 0),
            "x [########################] 100%  0 records  0 MB/s");
}

TEST(Progress, DrawsOnlyWhenEnabledAndClearsItsLine) {
  for (bool enabled : {false, true}) {
    std::FILE* out = std::tmpfile();
    {
      Progress progress("validate", 1000, enabled, out);
      progress.advance(10, 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      progress.advance(10, 1);
    }
    long size = std::ftell(out);
    if (enabled) {
      EXPECT_GT(size, 0);
      std::rewind(out);
      char text[256] = {};
      std::size_t n = std::fread(text, 1, sizeof text - 1, out);
      std::string written(text, n);
      EXPECT_NE(written.find("2 records"), std::string::npos) << written;
      EXPECT_NE(written.rfind("\r\033[K"), std::string::npos);  // cleared at the end
    } else {
      EXPECT_EQ(size, 0);
    }
    std::fclose(out);
  }
}

}  // namespace
}  // namespace haul::run
