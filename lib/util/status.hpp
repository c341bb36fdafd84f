#pragma once
// The outcome of an operation that can fail in a way the caller must handle:
// either ok, or an exit code saying what kind of failure plus a message for a
// person. Modelled on LevelDB's Status: no exceptions across lib/ boundaries.

#include <string>
#include <utility>

#include "util/exit_code.hpp"

namespace haul {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(ExitCode code, std::string message) {
    return Status(code, std::move(message));
  }

  bool is_ok() const { return code_ == ExitCode::kOk; }
  ExitCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(ExitCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ExitCode code_ = ExitCode::kOk;
  std::string message_;
};

}  // namespace haul
