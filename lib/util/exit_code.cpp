#include "util/exit_code.hpp"

namespace haul {
namespace {

int severity(ExitCode code) {
  switch (code) {
    case ExitCode::kOk:
      return 0;
    case ExitCode::kNoInput:
      return 1;
    case ExitCode::kDataError:
      return 2;
    case ExitCode::kTempFail:
      return 3;
    default:
      return 4;  // every operational failure
  }
}

}  // namespace

ExitCode more_severe(ExitCode a, ExitCode b) { return severity(b) > severity(a) ? b : a; }

}  // namespace haul
