#pragma once
// DESIGN's exit codes (util/exit_code.hpp) as the ints a ProcessResult
// carries, declared once for every test file: the tests are also compiled in
// unity batches (scripts/test), where per-file copies would collide.

#include "util/exit_code.hpp"

namespace haul::testing {

inline constexpr int kOk = static_cast<int>(ExitCode::kOk);
inline constexpr int kUsage = static_cast<int>(ExitCode::kUsage);
inline constexpr int kDataError = static_cast<int>(ExitCode::kDataError);
inline constexpr int kNoInput = static_cast<int>(ExitCode::kNoInput);
inline constexpr int kUnavailable = static_cast<int>(ExitCode::kUnavailable);
inline constexpr int kSoftware = static_cast<int>(ExitCode::kSoftware);
inline constexpr int kCantCreate = static_cast<int>(ExitCode::kCantCreate);
inline constexpr int kIoError = static_cast<int>(ExitCode::kIoError);
inline constexpr int kTempFail = static_cast<int>(ExitCode::kTempFail);
inline constexpr int kConfig = static_cast<int>(ExitCode::kConfig);

}  // namespace haul::testing
