// A write that cannot complete while a stage writes its main output: a
// file-size limit (ulimit -f, RLIMIT_FSIZE: EFBIG) and a full filesystem (a
// tmpfs of a few pages more than the data already holds: ENOSPC). The stage
// exits 73 naming the file, the previous outputs of the date stay byte for
// byte, no temporary is left, and the rerun with room writes what the
// undisturbed run wrote. Validate, dedup and enrich in turn, each over the
// previous stage's real output.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "support/exit_codes.hpp"
#include "support/kill_series.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;
#ifdef HAUL_TEST_SANITIZED
constexpr int kListings = 1500;
#else
constexpr int kListings = 4000;
#endif

std::string raw_listings() {
  std::string out = "[";
  for (int n = 0; n < kListings; ++n) {
    if (n) out += ",\n";
    out += fmt::format(
        R"({{"make":"Ford","model":"Mustang {}","year":"{}","price":"${}","mileage":"{} Miles","stockNumber":"S-{:05d}","vin":"1FA{:08d}X","sourceName":"Dealer","sourceUrl":"https://dealer.example/cars/{}","locationCity":"Toronto","locationState":"ON"}})",
        n % 50, 1965 + n % 30, 12000 + 13 * n, 1000 + n, n, n, n);
  }
  return out + "]\n";
}

std::map<std::string, std::string> outputs(const ValidateWorkspace& ws) {
  std::map<std::string, std::string> files;
  for (const char* top : {"processed", "failed"}) {
    if (!fs::exists(ws.root() / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(ws.root() / top)) {
      if (entry.is_regular_file()) {
        files[fs::relative(entry.path(), ws.root()).string()] = read_file(entry.path());
      }
    }
  }
  return files;
}

constexpr std::pair<const char*, const char*> kStages[] = {
    {"haul-validate", "validated.jsonl"}, {"haul-dedup", "deduped.jsonl"},
    {"haul-enrich", "enriched.jsonl"}};

// The raw file, and each stage's output from an undisturbed run.
void run_every_stage(const ValidateWorkspace& ws) {
  ws.add_raw("dealer_001.json", raw_listings());
  for (const auto& stage : kStages) {
    ASSERT_TRUE(ExitedWith(ws.run_tool(stage.first, {"-q"}), 0)) << stage.first;
  }
}

// The rerun (with room) wrote what the undisturbed run wrote.
void expect_rerun_restores(const ValidateWorkspace& ws, const std::string& tool,
                           const std::map<std::string, std::string>& before) {
  ProcessResult rerun = ws.run_tool(tool, {"--force", "-q"});
  EXPECT_TRUE(ExitedWith(rerun, 0)) << tool;
  const auto after = outputs(ws);
  for (const auto& [name, text] : before) {
    if (name.find("_report.json") != std::string::npos) continue;  // holds its run's timings
    auto at = after.find(name);
    EXPECT_TRUE(at != after.end() && at->second == text) << tool << ": " << name << " differs";
  }
}

void expect_refused_cleanly(const ValidateWorkspace& ws, const std::string& tool,
                            const ProcessResult& hit, const fs::path& file, const char* why,
                            const std::map<std::string, std::string>& before) {
  EXPECT_TRUE(ExitedWith(hit, kCantCreate)) << tool;
  EXPECT_NE(hit.err.find(file.string()), std::string::npos) << tool << " does not name " << file
                                                           << ":\n" << hit.err;
  EXPECT_NE(hit.err.find(why), std::string::npos) << hit.err;
  EXPECT_EQ(outputs(ws), before) << tool << " changed the previous outputs";
  EXPECT_EQ(hidden_files_under(ws.root() / "processed"), std::vector<fs::path>{}) << tool;
  EXPECT_EQ(hidden_files_under(ws.root() / "failed"), std::vector<fs::path>{}) << tool;
}

TEST(WriteFaults, AFileSizeLimitIs73NamingTheFileAndLeavesThePreviousOutputs) {
  ValidateWorkspace ws;
  ASSERT_NO_FATAL_FAILURE(run_every_stage(ws));
  for (const auto& stage : kStages) {
    const std::string tool = stage.first, output = stage.second;
    const auto before = outputs(ws);
    const fs::path file = ws.processed_dir() / output;
    ASSERT_GT(fs::file_size(file), 256u * 1024) << "too small to reach the limit";

    // 256 KiB: far below the output, far above a log line.
    const Command limited = with_file_size_limit(ws.command_for(tool, {"--force", "-q"}), 256);
    expect_refused_cleanly(ws, tool, run_process(limited), file, "File too large", before);
    expect_rerun_restores(ws, tool, before);
  }
}

// A tmpfs mounted over a directory for the lifetime of the object, resizable.
// Mounting needs root (CAP_SYS_ADMIN): without it the test is skipped.
class TmpfsMount {
 public:
  explicit TmpfsMount(fs::path at) : at_(std::move(at)) {
    mounted_ = ::mount("haul-test", at_.c_str(), "tmpfs", 0, "size=64m,mode=0755") == 0;
    if (!mounted_) why_ = std::strerror(errno);
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_; }
  std::uint64_t used_bytes() const {
    struct statvfs st {};
    if (::statvfs(at_.c_str(), &st) != 0) return 0;
    return (st.f_blocks - st.f_bfree) * st.f_frsize;
  }
  bool resize(std::uint64_t bytes) {
    const std::string options = fmt::format("size={}", bytes);
    return ::mount("haul-test", at_.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
  }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string why_;
};

TEST(WriteFaults, AFullFilesystemIs73NamingTheFileAndLeavesThePreviousOutputs) {
  ValidateWorkspace ws;
  TmpfsMount tmpfs(ws.root());
  if (!tmpfs.mounted()) {
    GTEST_SKIP() << "skipped: cannot mount a tmpfs (needs root): " << tmpfs.why_not();
  }
  ASSERT_NO_FATAL_FAILURE(run_every_stage(ws));
  for (const auto& stage : kStages) {
    const std::string tool = stage.first, output = stage.second;
    const auto before = outputs(ws);
    const fs::path file = ws.processed_dir() / output;
    ASSERT_GT(fs::file_size(file), 256u * 1024) << "too small to fill the filesystem";

    // Room for the ledger's lines and the lock, not for the output.
    ASSERT_TRUE(tmpfs.resize(tmpfs.used_bytes() + 64 * 1024)) << std::strerror(errno);
    ProcessResult hit = ws.run_tool(tool, {"--force", "-q"});
    expect_refused_cleanly(ws, tool, hit, file, "No space left on device", before);

    ASSERT_TRUE(tmpfs.resize(64u << 20)) << std::strerror(errno);
    expect_rerun_restores(ws, tool, before);
  }
}

}  // namespace
}  // namespace haul::testing
