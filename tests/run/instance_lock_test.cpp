#include "run/instance_lock.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.hpp"

namespace haul::run {
namespace {

using haul::testing::TempDir;

// flock(2) locks belong to the open file description, so a second acquire in
// the same process already conflicts; a child process checks the real case.
TEST(InstanceLock, SecondHolderIsRefusedWithThePid) {
  TempDir dir;
  std::unique_ptr<InstanceLock> first;
  ASSERT_TRUE(
      InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", first).is_ok());
  pid_t child = ::fork();
  if (child == 0) {
    std::unique_ptr<InstanceLock> second;
    Status s = InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", second);
    bool names_holder = s.message().find(std::to_string(::getppid())) != std::string::npos;
    ::_exit(s.code() == ExitCode::kTempFail && names_holder ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(InstanceLock, OtherPartitionsAndReleasedLocksAreFree) {
  TempDir dir;
  std::unique_ptr<InstanceLock> vehicles, events, again;
  ASSERT_TRUE(
      InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", vehicles).is_ok());
  ASSERT_TRUE(
      InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "events", events).is_ok());
  vehicles.reset();
  EXPECT_TRUE(
      InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", again).is_ok());
}

TEST(InstanceLock, LockOfAKilledProcessIsReleased) {
  TempDir dir;
  pid_t child = ::fork();
  if (child == 0) {
    std::unique_ptr<InstanceLock> lock;
    (void)InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", lock);
    ::pause();
    ::_exit(0);
  }
  // Wait until the child holds the lock (its pid is written after locking).
  auto lock_file = dir / "locks" / "validate.2026-01-01.vehicles.lock";
  for (int i = 0; i < 500 && (!std::filesystem::exists(lock_file) ||
                              std::filesystem::file_size(lock_file) == 0);
       ++i) {
    ::usleep(10000);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  std::unique_ptr<InstanceLock> lock;
  EXPECT_TRUE(
      InstanceLock::acquire(dir / "locks", "validate", "2026-01-01", "vehicles", lock).is_ok());
}

// haul-cleanup releases lock files: only one nobody holds, and a partition
// locked after the removal gets a fresh file, never the nameless old one.
TEST(InstanceLock, RemoveIfFreeLeavesAHeldLockAndRemovesAFreeOne) {
  TempDir dir;
  const auto path = InstanceLock::path_for(dir / "locks", "dedup", "2026-01-01", "vehicles");
  std::unique_ptr<InstanceLock> lock;
  ASSERT_TRUE(InstanceLock::acquire(dir / "locks", "dedup", "2026-01-01", "vehicles", lock).is_ok());
  EXPECT_TRUE(InstanceLock::held(path));
  bool removed = true;
  ASSERT_TRUE(InstanceLock::remove_if_free(path, removed).is_ok());
  EXPECT_FALSE(removed);
  EXPECT_TRUE(std::filesystem::exists(path));

  lock.reset();
  EXPECT_FALSE(InstanceLock::held(path));
  ASSERT_TRUE(InstanceLock::remove_if_free(path, removed).is_ok());
  EXPECT_TRUE(removed);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(InstanceLock::held(path));
  ASSERT_TRUE(InstanceLock::remove_if_free(path, removed).is_ok());  // already gone: fine
  EXPECT_FALSE(removed);

  ASSERT_TRUE(InstanceLock::acquire(dir / "locks", "dedup", "2026-01-01", "vehicles", lock).is_ok());
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(InstanceLock::held(path));
}

}  // namespace
}  // namespace haul::run
