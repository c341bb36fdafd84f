#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.hpp"

extern char** environ;

namespace haul::testing {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what, int err) {
  throw std::runtime_error(what + ": " + std::strerror(err));
}

// The child's environment: ours, with the command's changes applied.
std::vector<std::string> child_environment(const Command& command) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    vars[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
  }
  for (const auto& [name, value] : command.env) {
    if (value) {
      vars[name] = *value;
    } else {
      vars.erase(name);
    }
  }
  std::vector<std::string> env;
  for (const auto& [name, value] : vars) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Starts the child with stdin from /dev/null and stdout/stderr on the given
// descriptors; every other descriptor of ours stays out of the child.
pid_t spawn(const Command& command, int out_fd, int err_fd) {
  std::vector<std::string> argv_strings{command.program.string()};
  argv_strings.insert(argv_strings.end(), command.args.begin(), command.args.end());
  std::vector<std::string> env_strings = child_environment(command);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) fail("cannot start " + command.program.string(), rc);
  return pid;
}

void record_status(int status, ProcessResult& result) {
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
}

// Waits for `pid` until `deadline`; the wait status, or nullopt on timeout.
// A pidfd makes this a real wait (no polling); kernels without pidfd_open
// fall back to checking every few milliseconds.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (pidfd >= 0) ::close(pidfd);
      return status;
    }
    if (done < 0 && errno != EINTR) {
      if (pidfd >= 0) ::close(pidfd);
      fail("waitpid", errno);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      if (pidfd >= 0) ::close(pidfd);
      return std::nullopt;
    }
    if (pidfd >= 0) {
      pollfd fd{pidfd, POLLIN, 0};
      ::poll(&fd, 1, static_cast<int>(left.count()));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid", errno);
  }
  return status;
}

}  // namespace

Command with_file_size_limit(Command command, int kib) {
  command.args.insert(command.args.begin(),
                      {"-c", "ulimit -f " + std::to_string(kib) + " && exec \"$0\" \"$@\"",
                       command.program.string()});
  command.program = "/bin/bash";
  return command;
}

ProcessResult run_process(const Command& command) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) fail("pipe", errno);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) fail("pipe", errno);
  auto started = Clock::now();
  auto deadline = started + command.timeout;
  pid_t pid;
  try {
    pid = spawn(command, out_pipe[1], err_pipe[1]);
  } catch (...) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    throw;
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  ProcessResult result;
  // Drain both pipes together: a child blocked writing stderr while we wait
  // on stdout would otherwise deadlock.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_pipes = 2;
  char buffer[65536];
  while (open_pipes > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 && !result.timed_out) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
    }
    int ready = ::poll(fds, 2, result.timed_out ? -1 : static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) fail("poll", errno);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_pipes;
      }
    }
  }
  std::optional<int> status = wait_until(pid, deadline);
  if (!status) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    status = reap(pid);
  }
  record_status(*status, result);
  result.elapsed = Clock::now() - started;
  return result;
}

BackgroundProcess::BackgroundProcess(const Command& command) : timeout_(command.timeout) {
  auto temp_file = [](std::filesystem::path& path) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "haul-test-output-XXXXXX").string();
    int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) fail("mkostemp", errno);
    path = pattern;
    return fd;
  };
  int out_fd = temp_file(out_path_);
  int err_fd = temp_file(err_path_);
  started_ = Clock::now();
  try {
    pid_ = spawn(command, out_fd, err_fd);
  } catch (...) {
    ::close(out_fd);
    ::close(err_fd);
    ::unlink(out_path_.c_str());
    ::unlink(err_path_.c_str());
    throw;
  }
  ::close(out_fd);
  ::close(err_fd);
}

BackgroundProcess::~BackgroundProcess() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    reap(pid_);
  }
  ::unlink(out_path_.c_str());
  ::unlink(err_path_.c_str());
}

void BackgroundProcess::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

ProcessResult BackgroundProcess::wait() {
  ProcessResult result;
  if (reaped_) throw std::logic_error("BackgroundProcess::wait called twice");
  std::optional<int> status = wait_until(pid_, started_ + timeout_);
  if (!status) {
    result.timed_out = true;
    ::kill(pid_, SIGKILL);
    status = reap(pid_);
  }
  reaped_ = true;
  record_status(*status, result);
  result.elapsed = Clock::now() - started_;
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

}  // namespace haul::testing
