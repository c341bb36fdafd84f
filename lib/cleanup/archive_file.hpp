#pragma once
// data/archive/D.tar.gz: one gzip-compressed tar per date holding the due
// subtrees of raw/D, processed/D and failed/D, each member named by its path
// under the data root ("raw/2025-01-01/vehicles/src_001.json"), written with
// libarchive.
//
// pack_archive() never leaves a half-written or unchecked archive in place:
// it writes to a temporary beside the archive (io::AtomicFile), makes it
// durable, re-reads it from disk and compares every member's size and SHA-256
// with those of the bytes it put in (for new files: the originals, hashed
// while they were read), and only then renames it over the old archive. An
// archive already there for the date (an earlier run archived another area)
// is merged: its members are copied into the new one, except those a new
// file of the same name replaces. Any failure leaves the old archive, the
// originals and the data root as they were.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace haul::cleanup {

struct ArchiveMember {
  std::string name;  // path under the data root
  std::uint64_t size = 0;
  std::string sha256;  // lower-case hex
};

struct FileToArchive {
  std::string name;  // member name
  std::filesystem::path path;
};

struct PackResult {
  std::vector<ArchiveMember> added;  // the new files, as archived
  std::uint64_t kept = 0;            // members carried over from the previous archive
  std::uint64_t replaced = 0;        // previous members replaced by a new file
  std::uint64_t archive_bytes = 0;   // size of the archive written
};

// Reads every member of `archive` to the end (so damage anywhere is found),
// with sizes and SHA-256s, in archive order. Errors (kCantCreate: the archive
// cannot be trusted) name the archive and, when known, the member.
Status read_archive_members(const std::filesystem::path& archive,
                            std::vector<ArchiveMember>& out);

// Writes `archive` with `files` (and the previous archive's other members),
// verified before it is renamed into place; see above. Errors are
// kCantCreate and name the archive, and the member or file at fault.
Status pack_archive(const std::filesystem::path& archive, const std::vector<FileToArchive>& files,
                    PackResult& result);

}  // namespace haul::cleanup
