// TLS verification is always on: a self-signed server is refused unless the
// source names its certificate as ca_bundle. The TLS server is a real one,
// `openssl s_server` on 127.0.0.1, serving a JSON file.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "support/json_doc.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

TEST(ScrapeTls, VerificationIsOnAndACaBundleMakesASelfSignedServerTrusted) {
  if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "skipped: openssl not installed";
  TempDir tls;
  Command make_cert;
  make_cert.program = "/usr/bin/openssl";
  make_cert.args = {"req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                    "-keyout",
                    (tls / "key.pem").string(),
                    "-out",
                    (tls / "cert.pem").string()};
  ASSERT_EQ(run_process(make_cert).exit_code, 0);
  write_file(tls / "items.json", items_page(1, 3));
  int port = free_port();
  Command server;
  server.program = "/bin/sh";
  server.args = {"-c",
                 "cd \"$0\" && exec /usr/bin/openssl s_server -quiet -WWW -accept 127.0.0.1:$1 "
                 "-cert cert.pem -key key.pem",
                 tls.path().string(), std::to_string(port)};
  server.timeout = std::chrono::seconds(60);
  BackgroundProcess running(server);
  for (int i = 0; i < 100 && !accepts(port); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

  ScrapeWorkspace ws;
  TestSource untrusted, trusted;
  untrusted.name = "untrusted";
  untrusted.url = "https://127.0.0.1:" + std::to_string(port) + "/items.json";
  trusted.name = "trusted";
  trusted.url = untrusted.url;
  trusted.extra = "\"ca_bundle\":\"" + (tls / "cert.pem").string() + "\"";
  ws.write_sources({untrusted.json(), trusted.json()});
  ProcessResult result = ws.run();
  running.kill(SIGTERM);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  JsonDoc meta = ws.meta();
  EXPECT_EQ(meta.str("/sources/untrusted/status"), "failed");
  EXPECT_NE(meta.str("/sources/untrusted/errors/0/reason")->find("certificate"), std::string::npos)
      << *meta.str("/sources/untrusted/errors/0/reason");
  EXPECT_EQ(meta.uint64("/sources/untrusted/retries"), 0u) << "a bad certificate is not retried";
  EXPECT_EQ(meta.str("/sources/trusted/status"), "ok");
  EXPECT_EQ(meta.uint64("/sources/trusted/records"), 3u);
}

}  // namespace
}  // namespace haul::testing
