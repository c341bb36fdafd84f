#include "cleanup/archive_file.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>

#include "io/atomic_file.hpp"
#include "util/sha256.hpp"

namespace haul::cleanup {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

struct ReadArchive {
  archive* a = archive_read_new();
  ~ReadArchive() { archive_read_free(a); }
};

struct WriteArchive {
  archive* a = archive_write_new();
  ~WriteArchive() { archive_write_free(a); }
};

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

Status broken(const fs::path& archive, std::string_view what) {
  return Status::error(ExitCode::kCantCreate, fmt::format("archive {}: {}", archive.string(), what));
}

std::string error_of(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "unknown libarchive error";
}

Status open_for_reading(ReadArchive& reader, const fs::path& archive) {
  archive_read_support_filter_gzip(reader.a);
  archive_read_support_format_tar(reader.a);
  if (archive_read_open_filename(reader.a, archive.c_str(), kChunkBytes) != ARCHIVE_OK) {
    return broken(archive, fmt::format("cannot be read: {}", error_of(reader.a)));
  }
  return Status::ok();
}

// Reads the current member's data to the end, passing each piece to `sink`
// (may be empty), and returns its size and hash in `member`.
template <typename Sink>
Status read_member_data(ReadArchive& reader, const fs::path& archive, Sha256& sha,
                        ArchiveMember& member, Sink sink) {
  sha.begin();
  member.size = 0;
  std::string buffer(kChunkBytes, '\0');
  for (;;) {
    la_ssize_t n = archive_read_data(reader.a, buffer.data(), buffer.size());
    if (n < 0) {
      return broken(archive, fmt::format("member {} cannot be read: {}", member.name,
                                         error_of(reader.a)));
    }
    if (n == 0) break;
    std::string_view piece(buffer.data(), static_cast<std::size_t>(n));
    sha.update(piece);
    member.size += static_cast<std::uint64_t>(n);
    if (Status s = sink(piece); !s.is_ok()) return s;
  }
  member.sha256 = Sha256::to_hex(sha.finish());
  return Status::ok();
}

// Walks every member of `archive`; `on_member(entry, reader)` reads or skips
// the member's data.
template <typename OnMember>
Status for_each_member(const fs::path& archive, OnMember on_member) {
  ReadArchive reader;
  if (Status s = open_for_reading(reader, archive); !s.is_ok()) return s;
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(reader.a, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) {
      return broken(archive, fmt::format("damaged member header: {}", error_of(reader.a)));
    }
    if (Status s = on_member(entry, reader); !s.is_ok()) return s;
  }
  if (archive_read_close(reader.a) != ARCHIVE_OK) {
    return broken(archive, fmt::format("cannot be read to the end: {}", error_of(reader.a)));
  }
  return Status::ok();
}

// libarchive's output goes into an io::AtomicFile.
la_ssize_t write_to_atomic_file(archive* a, void* client, const void* data, size_t size) {
  auto* file = static_cast<io::AtomicFile*>(client);
  if (Status s = file->write(std::string_view(static_cast<const char*>(data), size)); !s.is_ok()) {
    archive_set_error(a, EIO, "%s", s.message().c_str());
    return -1;
  }
  return static_cast<la_ssize_t>(size);
}

class ArchiveWriter {
 public:
  ArchiveWriter(const fs::path& archive, io::AtomicFile& file) : archive_(archive) {
    archive_write_add_filter_gzip(writer_.a);
    archive_write_set_format_pax_restricted(writer_.a);
    archive_write_set_bytes_in_last_block(writer_.a, 1);  // no padding to 10 KiB
    opened_ = archive_write_open2(writer_.a, &file, nullptr, &write_to_atomic_file, nullptr,
                                  nullptr) == ARCHIVE_OK;
  }

  Status opened() const {
    return opened_ ? Status::ok() : broken(archive_, fmt::format("cannot be started: {}",
                                                                 error_of(writer_.a)));
  }

  Status header(archive_entry* entry) {
    if (archive_write_header(writer_.a, entry) != ARCHIVE_OK) {
      return broken(archive_, fmt::format("cannot add {}: {}", archive_entry_pathname(entry),
                                          error_of(writer_.a)));
    }
    return Status::ok();
  }

  Status data(std::string_view piece, std::string_view member) {
    if (archive_write_data(writer_.a, piece.data(), piece.size()) !=
        static_cast<la_ssize_t>(piece.size())) {
      return broken(archive_, fmt::format("cannot write {}: {}", member, error_of(writer_.a)));
    }
    return Status::ok();
  }

  Status close() {
    if (archive_write_close(writer_.a) != ARCHIVE_OK) {
      return broken(archive_, fmt::format("cannot be finished: {}", error_of(writer_.a)));
    }
    return Status::ok();
  }

 private:
  const fs::path& archive_;
  WriteArchive writer_;
  bool opened_ = false;
};

// Adds the file `source` as member `source.name`, hashing what it reads.
Status add_file(ArchiveWriter& writer, const fs::path& archive, const FileToArchive& source,
                Sha256& sha, ArchiveMember& member) {
  int fd = ::open(source.path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    return broken(archive, fmt::format("cannot read {}: {}", source.path.string(), std::strerror(err)));
  }
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), source.name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), st.st_mode & 07777);
  archive_entry_set_size(entry.get(), st.st_size);
  archive_entry_set_mtime(entry.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  Status status = writer.header(entry.get());
  member.name = source.name;
  member.size = 0;
  sha.begin();
  std::string buffer(kChunkBytes, '\0');
  while (status.is_ok()) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = broken(archive, fmt::format("cannot read {}: {}", source.path.string(),
                                           std::strerror(errno)));
      break;
    }
    if (n == 0) break;
    std::string_view piece(buffer.data(), static_cast<std::size_t>(n));
    sha.update(piece);
    member.size += static_cast<std::uint64_t>(n);
    status = writer.data(piece, source.name);
  }
  ::close(fd);
  if (!status.is_ok()) return status;
  member.sha256 = Sha256::to_hex(sha.finish());
  if (member.size != static_cast<std::uint64_t>(st.st_size)) {
    // Changed while being read: the header announced another size.
    return broken(archive, fmt::format("{} changed while it was archived", source.path.string()));
  }
  return Status::ok();
}

}  // namespace

Status read_archive_members(const fs::path& archive, std::vector<ArchiveMember>& out) {
  out.clear();
  Sha256 sha;
  return for_each_member(archive, [&](archive_entry* entry, ReadArchive& reader) {
    ArchiveMember member;
    member.name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (Status s = read_member_data(reader, archive, sha, member,
                                    [](std::string_view) { return Status::ok(); });
        !s.is_ok()) {
      return s;
    }
    if (archive_entry_size_is_set(entry) &&
        member.size != static_cast<std::uint64_t>(archive_entry_size(entry))) {
      return broken(archive, fmt::format("member {} is {} bytes, its header says {}", member.name,
                                         member.size, archive_entry_size(entry)));
    }
    out.push_back(std::move(member));
    return Status::ok();
  });
}

Status pack_archive(const fs::path& archive, const std::vector<FileToArchive>& files,
                    PackResult& result) {
  result = PackResult();
  std::set<std::string> new_names;
  for (const FileToArchive& file : files) new_names.insert(file.name);

  std::unique_ptr<io::AtomicFile> out;
  if (Status s = io::AtomicFile::open(archive, out); !s.is_ok()) return s;
  std::vector<ArchiveMember> expected;
  Sha256 sha;
  {
    ArchiveWriter writer(archive, *out);
    if (Status s = writer.opened(); !s.is_ok()) return s;
    std::error_code ec;
    if (fs::exists(archive, ec)) {
      Status s = for_each_member(archive, [&](archive_entry* entry, ReadArchive& reader) {
        ArchiveMember member;
        member.name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        if (new_names.count(member.name)) {
          ++result.replaced;
          return archive_read_data_skip(reader.a) == ARCHIVE_OK
                     ? Status::ok()
                     : broken(archive, fmt::format("member {} cannot be read: {}", member.name,
                                                   error_of(reader.a)));
        }
        if (Status h = writer.header(entry); !h.is_ok()) return h;
        if (Status d = read_member_data(reader, archive, sha, member,
                                        [&](std::string_view piece) {
                                          return writer.data(piece, member.name);
                                        });
            !d.is_ok()) {
          return d;
        }
        ++result.kept;
        expected.push_back(std::move(member));
        return Status::ok();
      });
      if (!s.is_ok()) return s;
    }
    for (const FileToArchive& file : files) {
      ArchiveMember member;
      if (Status s = add_file(writer, archive, file, sha, member); !s.is_ok()) return s;
      expected.push_back(member);
      result.added.push_back(std::move(member));
    }
    if (Status s = writer.close(); !s.is_ok()) return s;
  }
  if (Status s = out->sync(); !s.is_ok()) return s;

  // The check: the temporary, read back from disk, holds exactly what was put in.
  std::vector<ArchiveMember> found;
  if (Status s = read_archive_members(out->temp_path(), found); !s.is_ok()) {
    return broken(archive, fmt::format("failed verification ({}); the originals are kept",
                                       s.message()));
  }
  if (found.size() != expected.size()) {
    return broken(archive, fmt::format("failed verification: {} members written, {} read back; "
                                       "the originals are kept",
                                       expected.size(), found.size()));
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    const ArchiveMember& want = expected[i];
    const ArchiveMember& got = found[i];
    if (got.name != want.name || got.size != want.size || got.sha256 != want.sha256) {
      return broken(archive, fmt::format("failed verification at member {} ({} bytes, sha256 {}; "
                                         "expected {} bytes, sha256 {}); the originals are kept",
                                         want.name, got.size, got.sha256, want.size, want.sha256));
    }
  }
  result.archive_bytes = out->size();
  return out->commit();
}

}  // namespace haul::cleanup
