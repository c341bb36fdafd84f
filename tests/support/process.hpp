#pragma once
// Runs a real executable for an integration test, the way cron would: an
// argument vector (never a shell command line, so paths with spaces or
// quotes are passed as they are), an environment, no terminal.
//
// run_process() waits for the child and returns its exit status with
// everything it wrote on stdout and stderr. BackgroundProcess starts a child
// and leaves it running, so a test can kill it at a moment of its choosing.
// A child that outlives its timeout is killed, so a hung executable fails
// the test instead of hanging the suite.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace haul::testing {

struct Command {
  std::filesystem::path program;
  std::vector<std::string> args;  // argv[1..]
  // Variables set (value) or removed (nullopt) on top of this process's
  // environment.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};
};

struct ProcessResult {
  int exit_code = -1;   // when the child exited normally, else -1
  int term_signal = 0;  // the signal that ended the child, else 0
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
  std::chrono::duration<double> elapsed{};

  bool exited() const { return term_signal == 0 && exit_code >= 0; }
};

// Runs `command` to completion. Throws std::runtime_error when it cannot be
// started at all.
ProcessResult run_process(const Command& command);

// `command` run under `ulimit -f kib` (RLIMIT_FSIZE in 1 KiB blocks): a write
// past the limit fails with EFBIG, which is what a full disk looks like to a writer.
Command with_file_size_limit(Command command, int kib);

// A child left running. Its stdout and stderr go to temporary files, read
// back by wait(), so a chatty child never blocks on a full pipe.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const Command& command);
  ~BackgroundProcess();  // kills (SIGKILL) and reaps the child if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal`; harmless when the child has already exited (it stays a
  // zombie until wait(), so the pid cannot have been reused).
  void kill(int signal);
  // Waits for the child to end (up to the command's timeout, then kills it).
  ProcessResult wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point started_;
  std::filesystem::path out_path_, err_path_;
};

}  // namespace haul::testing
