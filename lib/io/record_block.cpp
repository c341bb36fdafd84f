#include "io/record_block.hpp"

#include <fmt/format.h>

namespace haul::io {

void RecordBlock::add(const RawRecord& raw) {
  // Blocks are filled to about kBlockBytes: growing by doubling would copy
  // each block's bytes once more and touch twice the memory.
  if (bytes.capacity() < kBlockBytes) bytes.reserve(kBufferBytes);
  records.push_back(raw);
  records.back().bytes = std::string_view(nullptr, raw.bytes.size());
  bytes.append(raw.bytes);
}

void RecordBlock::seal() {
  bytes.append(simdjson::SIMDJSON_PADDING, '\0');
  std::size_t offset = 0;
  for (auto& record : records) {
    const std::size_t size = record.bytes.size();
    record.bytes = std::string_view(bytes.data() + offset, size);
    offset += size;
  }
}

std::size_t RecordBlock::input_bytes() const {
  return bytes.size() >= simdjson::SIMDJSON_PADDING ? bytes.size() - simdjson::SIMDJSON_PADDING
                                                    : bytes.size();
}

Status open_block_reader(const std::filesystem::path& input, std::size_t max_record_bytes,
                         std::unique_ptr<RecordReader>& reader) {
  RecordReader::Options options;
  options.max_record_bytes = max_record_bytes;
  return RecordReader::open(input, options, reader);
}

Status reader_outcome(const std::filesystem::path& input, const RecordReader& reader) {
  if (const auto& error = reader.file_error()) {
    return Status::error(ExitCode::kDataError,
                         fmt::format("{}: {} at byte {}: {}", input.string(), error->code,
                                     error->offset, error->message));
  }
  return Status::ok();
}

}  // namespace haul::io
