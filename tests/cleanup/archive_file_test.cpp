// The archive writer against libarchive read independently in the test:
// members hold the originals byte for byte, a second pack for the same date
// merges, and a damaged archive is refused without touching anything.

#include "cleanup/archive_file.hpp"

#include <gtest/gtest.h>

#include <map>

#include "support/cleanup_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/validate_workspace.hpp"
#include "util/sha256.hpp"

namespace haul::cleanup {
namespace {

namespace fs = std::filesystem;
using haul::testing::archive_members;
using haul::testing::read_file;
using haul::testing::TempDir;
using haul::testing::write_file;


std::string big_text(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; text.size() < n; ++i) text += "{\"line\":" + std::to_string(i * 7919) + "}\n";
  return text;
}

TEST(ArchiveFile, MembersHoldTheOriginalsByteForByte) {
  TempDir dir;
  write_file(dir / "raw/2026-01-01/vehicles/a.json", "[{\"make\":\"Ford\"}]\n");
  write_file(dir / "raw/2026-01-01/vehicles/big.json", big_text(3 << 20));  // > one chunk
  write_file(dir / "raw/2026-01-01/vehicles/empty.json", "");
  std::vector<FileToArchive> files;
  for (const char* name : {"a.json", "big.json", "empty.json"}) {
    files.push_back({std::string("raw/2026-01-01/vehicles/") + name,
                     dir / "raw/2026-01-01/vehicles" / name});
  }
  PackResult result;
  const fs::path archive = dir / "archive/2026-01-01.tar.gz";
  ASSERT_TRUE(pack_archive(archive, files, result).is_ok());
  ASSERT_EQ(result.added.size(), 3u);
  EXPECT_EQ(result.kept, 0u);
  EXPECT_GT(result.archive_bytes, 0u);
  EXPECT_EQ(fs::file_size(archive), result.archive_bytes);
  EXPECT_LT(result.archive_bytes, 3u << 20);  // compressed

  auto members = archive_members(archive);
  ASSERT_EQ(members.size(), 3u);
  Sha256 sha;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string original = read_file(files[i].path);
    EXPECT_EQ(members[files[i].name], original) << files[i].name;
    EXPECT_EQ(result.added[i].sha256, sha.hex(original));
    EXPECT_EQ(result.added[i].size, original.size());
  }
  std::vector<ArchiveMember> listed;
  ASSERT_TRUE(read_archive_members(archive, listed).is_ok());
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[1].name, "raw/2026-01-01/vehicles/big.json");
  EXPECT_EQ(listed[1].sha256, result.added[1].sha256);
  EXPECT_TRUE(haul::testing::hidden_files_under(dir / "archive").empty());
}

TEST(ArchiveFile, ASecondPackMergesAndReplacesSameNamedMembers) {
  TempDir dir;
  write_file(dir / "raw/D/a.json", "raw a\n");
  write_file(dir / "raw/D/b.json", "raw b\n");
  const fs::path archive = dir / "archive/D.tar.gz";
  PackResult result;
  ASSERT_TRUE(pack_archive(archive, {{"raw/D/a.json", dir / "raw/D/a.json"},
                                     {"raw/D/b.json", dir / "raw/D/b.json"}},
                           result)
                  .is_ok());
  write_file(dir / "raw/D/b.json", "raw b, scraped again\n");
  write_file(dir / "failed/D/e.jsonl", "{\"error\":1}\n");
  ASSERT_TRUE(pack_archive(archive, {{"raw/D/b.json", dir / "raw/D/b.json"},
                                     {"failed/D/e.jsonl", dir / "failed/D/e.jsonl"}},
                           result)
                  .is_ok());
  EXPECT_EQ(result.kept, 1u);
  EXPECT_EQ(result.replaced, 1u);
  auto members = archive_members(archive);
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members["raw/D/a.json"], "raw a\n");
  EXPECT_EQ(members["raw/D/b.json"], "raw b, scraped again\n");
  EXPECT_EQ(members["failed/D/e.jsonl"], "{\"error\":1}\n");
}

TEST(ArchiveFile, ADamagedArchiveIsRefusedNamingItAndLeftAsItWas) {
  TempDir dir;
  write_file(dir / "raw/D/a.json", big_text(200000));
  const fs::path archive = dir / "archive/D.tar.gz";
  PackResult result;
  ASSERT_TRUE(pack_archive(archive, {{"raw/D/a.json", dir / "raw/D/a.json"}}, result).is_ok());

  // Cut it in the middle: the gzip stream ends early.
  std::string bytes = read_file(archive);
  bytes.resize(bytes.size() / 2);
  write_file(archive, bytes);
  std::vector<ArchiveMember> listed;
  Status s = read_archive_members(archive, listed);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), ExitCode::kCantCreate);
  EXPECT_NE(s.message().find(archive.string()), std::string::npos) << s.message();

  // Merging into it fails too, and changes nothing.
  write_file(dir / "processed/D/v.jsonl", "{}\n");
  s = pack_archive(archive, {{"processed/D/v.jsonl", dir / "processed/D/v.jsonl"}}, result);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find(archive.string()), std::string::npos) << s.message();
  EXPECT_EQ(read_file(archive), bytes);
  EXPECT_TRUE(haul::testing::hidden_files_under(dir / "archive").empty());

  // A flipped byte inside the compressed data: libarchive may read on
  // without complaint (it does not always check gzip's CRC), but the member's
  // SHA-256 no longer matches the original's, which is what pack_archive
  // compares before it replaces anything.
  ASSERT_TRUE(pack_archive(dir / "archive/E.tar.gz", {{"raw/D/a.json", dir / "raw/D/a.json"}},
                           result)
                  .is_ok());
  bytes = read_file(dir / "archive/E.tar.gz");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
  write_file(dir / "archive/E.tar.gz", bytes);
  const std::string original_sha = result.added[0].sha256;
  s = read_archive_members(dir / "archive/E.tar.gz", listed);
  EXPECT_TRUE(!s.is_ok() || listed.size() != 1 || listed[0].sha256 != original_sha);
}

TEST(ArchiveFile, AMissingOriginalFailsAndWritesNothing) {
  TempDir dir;
  PackResult result;
  Status s = pack_archive(dir / "archive/D.tar.gz", {{"raw/D/gone.json", dir / "raw/D/gone.json"}},
                          result);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("gone.json"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir / "archive/D.tar.gz"));
  EXPECT_TRUE(haul::testing::hidden_files_under(dir / "archive").empty());
}

}  // namespace
}  // namespace haul::cleanup
