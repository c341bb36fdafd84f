// config/logrotate/haul, the example haul-cleanup leaves logs to: logrotate
// accepts it and, pointed at a test data root, rotates the stage logs there
// (renamed with the date, re-created empty, compressed only at the next
// rotation) and leaves other files
// alone. Skipped where logrotate is not installed (scripts/setup installs it).

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

fs::path logrotate_program() {
  for (const char* candidate : {"/usr/sbin/logrotate", "/sbin/logrotate", "/usr/bin/logrotate"}) {
    if (fs::exists(candidate)) return candidate;
  }
  return {};
}

// The shipped file with the data root and the user of this test.
std::string adapted_config(const fs::path& data_root) {
  std::string text = read_file(fs::path(HAUL_SOURCE_DIR) / "config/logrotate/haul");
  const struct passwd* me = ::getpwuid(::getuid());
  const std::string user = me ? me->pw_name : "root";
  auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all("/srv/haul/data", data_root.string());
  replace_all("su haul haul", "su " + user + " " + user);
  replace_all("create 0640 haul haul", "create 0640 " + user + " " + user);
  return text;
}

TEST(CleanupLogrotate, TheExampleRotatesTheStageLogs) {
  const fs::path logrotate = logrotate_program();
  if (logrotate.empty()) GTEST_SKIP() << "skipped: logrotate is not installed";
  TempDir dir;
  const fs::path data = dir / "data";
  write_file(data / "logs/validate.log", "day one\n");
  write_file(data / "logs/errors.log", "an error\n");
  write_file(data / "logs/notes.txt", "not a log\n");
  write_file(dir / "haul.logrotate", adapted_config(data));
  ::chmod((dir / "haul.logrotate").c_str(), 0644);  // logrotate refuses group/world-writable files

  Command check{logrotate, {"--debug", "--state", (dir / "state").string(), (dir / "haul.logrotate").string()}, {}, std::chrono::minutes(1)};
  ProcessResult r = run_process(check);
  ASSERT_TRUE(ExitedWith(r, 0)) << r.err;
  EXPECT_EQ(r.err.find("error:"), std::string::npos) << r.err;

  // A forced rotation: each log renamed with its date (left uncompressed until
  // the next rotation: delaycompress) and re-created empty.
  Command force{logrotate, {"--force", "--state", (dir / "state").string(), (dir / "haul.logrotate").string()}, {}, std::chrono::minutes(1)};
  ASSERT_TRUE(ExitedWith(run_process(force), 0));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(data / "logs")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 5u) << ::testing::PrintToString(names);
  EXPECT_EQ(read_file(data / "logs/validate.log"), "");  // re-created empty
  EXPECT_EQ(read_file(data / "logs/notes.txt"), "not a log\n");
  bool rotated = false;
  for (const std::string& name : names) {
    if (name.rfind("validate.log-", 0) == 0) {
      rotated = true;
      EXPECT_EQ(read_file(data / "logs" / name), "day one\n");  // delaycompress: plain for now
    }
  }
  EXPECT_TRUE(rotated) << ::testing::PrintToString(names);
}

}  // namespace
}  // namespace haul::testing
