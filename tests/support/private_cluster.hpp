#pragma once
// A PostgreSQL cluster of the test's own (scripts/pg-local in a fresh /tmp
// directory), for tests that stop or restart the server. Stopped and removed
// when the object goes. available() is false when the machine cannot run
// PostgreSQL; such tests skip.

#include <filesystem>
#include <string>

namespace haul::testing {

class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  bool available() const { return !conninfo_.empty(); }
  const std::string& why_unavailable() const { return why_; }
  // key=value string for database `haul` as the superuser.
  const std::string& conninfo() const { return conninfo_; }
  // pg-local stop / start; true on success.
  bool stop();
  bool start();

 private:
  bool pg_local(const std::string& command, std::string* out = nullptr);
  std::filesystem::path dir_;
  std::string conninfo_;
  std::string why_;
};

}  // namespace haul::testing
