#include "io/read_only_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace haul::io {

Status ReadOnlyFile::open(const std::filesystem::path& path, std::unique_ptr<ReadOnlyFile>& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::error(ExitCode::kIoError,
                         fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  out.reset(new ReadOnlyFile(fd));
  return Status::ok();
}

ReadOnlyFile::~ReadOnlyFile() { ::close(fd_); }

}  // namespace haul::io
