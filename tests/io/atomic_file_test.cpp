#include "io/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/ndjson_writer.hpp"
#include "support/temp_dir.hpp"

namespace haul::io {
namespace {

using haul::testing::read_file;
using haul::testing::TempDir;
using haul::testing::write_file;

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, FinalFileAppearsOnlyOnCommit) {
  TempDir dir;
  auto path = dir / "out" / "result.jsonl";
  std::unique_ptr<AtomicFile> file;
  ASSERT_TRUE(AtomicFile::open(path, file).is_ok());
  ASSERT_TRUE(file->write("hello\n").is_ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(file->commit().is_ok());
  EXPECT_EQ(read_file(path), "hello\n");
  file.reset();
  EXPECT_EQ(names_in(dir / "out"), std::vector<std::string>{"result.jsonl"});
}

TEST(AtomicFile, AbandonedWriteKeepsThePreviousFileAndLeavesNoTemporary) {
  TempDir dir;
  auto path = dir / "result.jsonl";
  write_file(path, "previous\n");
  {
    std::unique_ptr<AtomicFile> file;
    ASSERT_TRUE(AtomicFile::open(path, file).is_ok());
    ASSERT_TRUE(file->write(std::string(3 << 20, 'x')).is_ok());  // past the buffer
  }
  EXPECT_EQ(read_file(path), "previous\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"result.jsonl"});
}

TEST(AtomicFile, TruncateWithdrawsBufferedAndFlushedBytes) {
  TempDir dir;
  auto path = dir / "result.txt";
  std::unique_ptr<AtomicFile> file;
  ASSERT_TRUE(AtomicFile::open(path, file).is_ok());
  ASSERT_TRUE(file->write("keep").is_ok());
  ASSERT_TRUE(file->truncate(2).is_ok());
  ASSERT_TRUE(file->write(std::string(2 << 20, 'y')).is_ok());
  ASSERT_TRUE(file->truncate(2).is_ok());
  ASSERT_TRUE(file->write("!").is_ok());
  EXPECT_EQ(file->size(), 3u);
  ASSERT_TRUE(file->commit().is_ok());
  EXPECT_EQ(read_file(path), "ke!");
}

// Past the background sync step (16 MB) the file is synced on another thread
// while it grows and is cut back; what commit() publishes is still exactly
// what was written.
TEST(AtomicFile, AFileSyncedInTheBackgroundCommitsExactlyItsBytes) {
  TempDir dir;
  auto path = dir / "large.bin";
  std::unique_ptr<AtomicFile> file;
  ASSERT_TRUE(AtomicFile::open(path, file).is_ok());
  std::string block(1 << 20, '\0');
  for (int i = 0; i < 160; ++i) {
    std::fill(block.begin(), block.end(), static_cast<char>('a' + i % 26));
    ASSERT_TRUE(file->write(block).is_ok());
  }
  ASSERT_TRUE(file->truncate(100u << 20).is_ok());
  ASSERT_TRUE(file->write("end").is_ok());
  ASSERT_TRUE(file->commit().is_ok());
  file.reset();
  ASSERT_EQ(std::filesystem::file_size(path), (100u << 20) + 3);
  const std::string bytes = read_file(path);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(bytes[static_cast<std::size_t>(i) << 20], static_cast<char>('a' + i % 26)) << "block " << i;
  }
  EXPECT_EQ(bytes.substr(100u << 20), "end");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"large.bin"});
}

TEST(AtomicFile, TemporariesOfDeadProcessesAreSwept) {
  TempDir dir;
  auto path = dir / "result.jsonl";
  pid_t child = ::fork();
  if (child == 0) {
    std::unique_ptr<AtomicFile> file, other;
    (void)AtomicFile::open(path, file);
    (void)file->write(std::string(2 << 20, 'z'));
    (void)AtomicFile::open(dir / "other.jsonl", other);
    ::_exit(0);  // no destructor: like a SIGKILL, the temporaries stay
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_EQ(names_in(dir.path()).size(), 2u);
  // One sweep per directory takes every dead writer's temporaries, not only
  // those of the file being opened.
  std::unique_ptr<AtomicFile> file;
  ASSERT_TRUE(AtomicFile::open(path, file).is_ok());
  ASSERT_TRUE(file->commit().is_ok());
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"result.jsonl"});
}

TEST(AtomicFile, WriteErrorsSurfaceAsCantCreateAndKeepThePreviousFile) {
  TempDir dir;
  auto path = dir / "result.jsonl";
  write_file(path, "previous\n");
  pid_t child = ::fork();
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    std::unique_ptr<AtomicFile> file;
    if (!AtomicFile::open(path, file).is_ok()) ::_exit(1);
    Status s = file->write(std::string(2 << 20, 'q'));
    if (s.is_ok()) s = file->commit();
    file.reset();  // an abandoned file removes its temporary
    ::_exit(s.code() == ExitCode::kCantCreate ? 42 : 2);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
  EXPECT_EQ(read_file(path), "previous\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"result.jsonl"});
}

TEST(NdjsonWriter, CountsLinesAndRollsBackToAMark) {
  TempDir dir;
  std::unique_ptr<NdjsonWriter> writer;
  ASSERT_TRUE(NdjsonWriter::open(dir / "out.jsonl", writer).is_ok());
  ASSERT_TRUE(writer->write("{\"a\":1}").is_ok());
  auto mark = writer->mark();
  ASSERT_TRUE(writer->write("{\"b\":2}").is_ok());
  EXPECT_EQ(writer->records(), 2u);
  ASSERT_TRUE(writer->rollback(mark).is_ok());
  EXPECT_EQ(writer->records(), 1u);
  ASSERT_TRUE(writer->commit().is_ok());
  EXPECT_EQ(read_file(dir / "out.jsonl"), "{\"a\":1}\n");
}

}  // namespace
}  // namespace haul::io
