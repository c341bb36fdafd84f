#include "support/private_cluster.hpp"

#include <stdlib.h>

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
  // "export PGHOST=/dir/socket PGPORT=5433 ...": the value after NAME= up to a space.
  auto setting = [&](const std::string& name) {
    std::size_t at = out.find(name + "=");
    if (at == std::string::npos) return std::string();
    at += name.size() + 1;
    return out.substr(at, out.find_first_of(" \n", at) - at);
  };
  std::string host = setting("PGHOST"), port = setting("PGPORT");
  if (host.empty() || port.empty()) {
    why_ = "unexpected pg-local output: " + out;
    return;
  }
  conninfo_ = "host=" + host + " port=" + port + " dbname=haul user=postgres";
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
