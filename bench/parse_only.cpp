// bench_parse_only FILE.jsonl
//
// The ceiling for haul-validate: how fast simdjson alone turns the NDJSON
// file into DOM documents, with no validation and no output. Prints one JSON
// line: {"records","errors","bytes","seconds","parse_seconds","cpu_seconds"}.
//
// `seconds` includes reading the file (haul-validate has to read it too);
// `parse_seconds` is parse_many alone. simdjson's document stream runs its
// stage 1 for the next batch on a second thread when built with threads
// (Debian's is), so cpu_seconds can exceed seconds.
#include <simdjson.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.jsonl\n", argv[0]);
    return 64;
  }
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();

  simdjson::padded_string json;
  if (auto error = simdjson::padded_string::load(argv[1]).get(json)) {
    std::fprintf(stderr, "cannot read %s: %s\n", argv[1], simdjson::error_message(error));
    return 66;
  }
  const auto t1 = clock::now();

  simdjson::dom::parser parser;
  simdjson::dom::document_stream stream;
  if (auto error = parser.parse_many(json).get(stream)) {
    std::fprintf(stderr, "parse_many: %s\n", simdjson::error_message(error));
    return 65;
  }
  uint64_t records = 0, errors = 0;
  for (auto doc : stream) {
    // Each iteration has fully parsed one document into the DOM.
    if (doc.error()) {
      // The generator writes valid JSON only; an error means a broken file,
      // and the stream cannot resynchronise after one anyway.
      std::fprintf(stderr, "document %llu: %s\n", static_cast<unsigned long long>(records),
                   simdjson::error_message(doc.error()));
      ++errors;
      break;
    }
    ++records;
  }
  const auto t2 = clock::now();

  const std::chrono::duration<double> total = t2 - t0, parse = t2 - t1;
  std::printf(
      "{\"records\":%llu,\"errors\":%llu,\"truncated_bytes\":%zu,\"bytes\":%zu,\"seconds\":%.6f,"
      "\"parse_seconds\":%.6f,\"cpu_seconds\":%.6f}\n",
      static_cast<unsigned long long>(records), static_cast<unsigned long long>(errors),
      stream.truncated_bytes(), json.size(), total.count(), parse.count(), cpu_seconds());
  return errors == 0 ? 0 : 65;
}
