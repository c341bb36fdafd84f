#include "support/private_cluster.hpp"

#include <stdlib.h>

#include <regex>
#include <system_error>

#include "support/process.hpp"

namespace haul::testing {

PrivateCluster::PrivateCluster() {
  // Short: the socket path must fit in sun_path.
  std::string pattern = "/tmp/haul-pg-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    why_ = "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  std::string out;
  if (!pg_local("start", &out)) {
    why_ = "scripts/pg-local start failed: " + out;
    return;
  }
  std::smatch host, port;
  if (!std::regex_search(out, host, std::regex("PGHOST=(\\S+)")) ||
      !std::regex_search(out, port, std::regex("PGPORT=(\\d+)"))) {
    why_ = "unexpected pg-local output: " + out;
    return;
  }
  conninfo_ = "host=" + host[1].str() + " port=" + port[1].str() + " dbname=haul user=postgres";
}

PrivateCluster::~PrivateCluster() {
  if (dir_.empty()) return;
  pg_local("stop");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool PrivateCluster::pg_local(const std::string& command, std::string* out) {
  Command c;
  c.program = std::filesystem::path(HAUL_SOURCE_DIR) / "scripts" / "pg-local";
  c.args = {command, dir_.string()};
  c.timeout = std::chrono::minutes(2);
  ProcessResult result = run_process(c);
  if (out) *out = result.out + result.err;
  return result.exited() && result.exit_code == 0;
}

bool PrivateCluster::stop() { return pg_local("stop"); }
bool PrivateCluster::start() { return pg_local("start"); }

}  // namespace haul::testing
