#include "io/background_sync.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "support/temp_dir.hpp"

namespace haul::io {
namespace {

using haul::testing::TempDir;

TEST(BackgroundSync, SyncsAFileItsWriterIsStillWriting) {
  TempDir dir;
  const auto path = dir / "data";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  const std::string block(1 << 20, 'b');
  {
    BackgroundSync sync(fd);
    for (int i = 0; i < 8; ++i) {
      ASSERT_EQ(::write(fd, block.data(), block.size()), static_cast<ssize_t>(block.size()));
      sync.start();
    }
    EXPECT_EQ(sync.wait(), 0);
    EXPECT_TRUE(sync.start());  // none runs after wait()
    EXPECT_EQ(sync.wait(), 0);
  }
  ::close(fd);
  EXPECT_EQ(std::filesystem::file_size(path), 8u << 20);
}

TEST(BackgroundSync, KeepsTheFirstErrorForWait) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  BackgroundSync sync(pipe_fds[1]);  // fdatasync() of a pipe is EINVAL
  EXPECT_TRUE(sync.start());
  EXPECT_EQ(sync.wait(), EINVAL);
  EXPECT_EQ(sync.wait(), EINVAL);  // still there: the final fsync() must not hide it
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace
}  // namespace haul::io
