#include "io/ndjson_writer.hpp"

namespace haul::io {

Status NdjsonWriter::open(const std::filesystem::path& path, std::unique_ptr<NdjsonWriter>& out) {
  std::unique_ptr<AtomicFile> file;
  if (Status s = AtomicFile::open(path, file); !s.is_ok()) return s;
  out.reset(new NdjsonWriter(std::move(file)));
  return Status::ok();
}

Status NdjsonWriter::write(std::string_view json) {
  if (Status s = file_->write(json); !s.is_ok()) return s;
  ++records_;
  return file_->write("\n");
}

Status NdjsonWriter::write_lines(std::string_view lines, std::uint64_t count) {
  if (Status s = file_->write(lines); !s.is_ok()) return s;
  records_ += count;
  return Status::ok();
}

Status NdjsonWriter::rollback(const Mark& mark) {
  records_ = mark.records;
  return file_->truncate(mark.bytes);
}

}  // namespace haul::io
