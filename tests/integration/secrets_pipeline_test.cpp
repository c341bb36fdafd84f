// Secrets across the whole pipeline: scripts/haul-run (every stage, report
// included) and haul-cleanup with sources that send a bearer token, an API key
// in the URL, a POST body key, Basic credentials in the URL, an HTTP geocoder
// key — each echoed back by a careless server — and a database password in
// DATABASE_URL (a role with password authentication on a cluster of the
// test's own), then once more with a wrong password so the error paths log
// too. No secret may appear, as is, URL-encoded or base64-encoded, in any
// file under the data root (archives unpacked), any log, the captured output
// or the database's rows.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "support/http_server.hpp"
#include "support/private_cluster.hpp"
#include "support/process.hpp"
#include "support/scrape_sources.hpp"
#include "support/scrape_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDate = "2026-11-23";

std::string url_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

std::string base64(const std::string& text) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(text[i]) << 16) |
                 (static_cast<unsigned char>(text[i + 1]) << 8) |
                 static_cast<unsigned char>(text[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(alphabet[(n >> shift) & 63]);
  }
  if (i < text.size()) {
    unsigned n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < text.size() ? alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A .gz file's contents (the members of a .tar.gz are stored uncompressed
// inside, so searching the tar stream finds them).
std::string gunzip(const fs::path& path) {
  std::string out;
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return out;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0)
    out.append(buffer, static_cast<std::size_t>(n));
  gzclose(file);
  return out;
}

// A vehicle page of two listings in Woodbridge (ambiguous for the gazetteer,
// so the HTTP geocoder is asked) whose description echoes what was sent.
std::string vehicle_page(const std::string& source, const std::string& echo) {
  std::string page = R"({"items":[)";
  for (int i = 0; i < 2; ++i) {
    page += (i ? "," : "") +
            fmt::format(R"({{"make":"Ford","model":"Mustang {0}","year":{1},"price":{2},)"
                        R"("sourceName":"{0}","sourceUrl":"https://example.com/{0}/{3}",)"
                        R"("stockNumber":"{0}-{3}","address":"{3} Main St, Woodbridge, ON, L4L 1T3",)"
                        R"("description":"{4}"}})",
                        source, 2000 + i, 20000 + 1000 * i, i, echo);
  }
  return page + "]}";
}

// JSON-safe: the echoes keep only characters that need no escaping.
std::string json_safe(std::string text) {
  for (char& c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  return text;
}

class SecretsPipeline : public ::testing::Test {
 protected:
  // Each secret and the forms it could leak in.
  std::vector<std::string> forms() const {
    std::vector<std::string> out;
    for (const std::string& secret : secrets_) {
      for (const std::string& form : {secret, url_encode(secret), base64(secret)}) {
        out.push_back(form);
      }
    }
    return out;
  }

  void expect_clean(const std::string& where, const std::string& text) {
    for (const std::string& form : forms()) {
      EXPECT_EQ(text.find(form), std::string::npos) << "secret \"" << form << "\" in " << where;
    }
  }

  std::vector<std::string> secrets_;
};

TEST_F(SecretsPipeline, NoSecretInAnyFileLogOutputOrRow) {
  PrivateCluster cluster;
  if (!cluster.available()) GTEST_SKIP() << "skipped: " << cluster.why_unavailable();

  const std::string token = "tok-Bearer-5ecret-9f8e7d";
  const std::string api_key = "key/With+Specials=&?#1";
  const std::string body_key = "body-key-\"quoted\"-77";
  const std::string basic_user = "scraper";
  // Percent-encoded in the variable, as a URL's userinfo needs; curl decodes it.
  const std::string basic_pass = "b%40sic-Pa55w0rd";
  const std::string basic_plain = "b@sic-Pa55w0rd";
  const std::string geo_key = "geo-key-31337";
  const std::string db_password = "pg-P@ss/w0rd:5ecret%";
  const std::string wrong_password = "wrong-Pa55-for-error-path";
  secrets_ = {token,      api_key,     body_key,
              basic_pass, basic_plain, basic_user + ":" + basic_plain,
              geo_key,    db_password, wrong_password};

  // The server answers every secret-bearing request and echoes it back.
  HttpServer server;
  auto echo_of = [](const ReceivedRequest& r) {
    std::string all = r.method + " " + r.target + " " + r.body;
    for (const auto& [name, value] : r.headers) all += " " + name + ": " + value;
    return json_safe(all);
  };
  server.route("/bearer", [&](const ReceivedRequest& r) {
    if (r.header("authorization") != "Bearer " + token) return HttpReply::json("{}", 401);
    return HttpReply::json(vehicle_page("bearer", echo_of(r)));
  });
  server.route("/post", [&](const ReceivedRequest& r) {
    return HttpReply::json(vehicle_page("post", echo_of(r)));
  });
  server.route("/basic", [&](const ReceivedRequest& r) {
    if (r.header("authorization") != "Basic " + base64(basic_user + ":" + basic_plain)) {
      return HttpReply::json("{}", 401);
    }
    // Not JSON: the body is saved to failed/ and must be scrubbed.
    return HttpReply{200, {{"Content-Type", "text/plain"}}, "echo " + echo_of(r)};
  });
  server.route("/geo", [&](const ReceivedRequest& r) {
    return HttpReply::json(R"([{"lat":"43.79","lon":"-79.59","display_name":")" + echo_of(r) +
                           R"("}])");
  });

  ScrapeWorkspace ws;
  TestSource bearer, post, basic;
  bearer.name = "bearer";
  bearer.url = server.url("/bearer?key=${HAUL_API_KEY}&d={date}");
  bearer.extra = R"("headers":{"Authorization":"Bearer ${HAUL_TOKEN}"})";
  post.name = "post";
  post.url = server.url("/post");
  post.extra = R"("method":"POST","body":{"api_key":"${HAUL_BODY_KEY}"})";
  basic.name = "basic";
  basic.url =
      "http://${HAUL_BASIC_USER}:${HAUL_BASIC_PASS}@127.0.0.1:" + std::to_string(server.port()) +
      "/basic";
  ws.write_sources({bearer.json(), post.json(), basic.json()});
  write_file(ws.config_dir() / "enrich.json",
             R"({"vehicles":{"location":{"http_geocoder":{"url":")" +
                 server.url("/geo?q={query}&key=${HAUL_GEO_KEY}") +
                 R"(","requests_per_second":50}}}})");
  write_file(ws.config_dir() / "cleanup.json",
             R"({"retention":{"raw_days":1,"processed_days":1,"failed_days":1}})");

  // A role that logs in with a password only (scram), on the test's cluster.
  TestDatabase db(cluster.conninfo());
  auto setting = [&](const std::string& name) {
    const std::string& conninfo = cluster.conninfo();
    std::size_t at = conninfo.find(name + "=") + name.size() + 1;
    return conninfo.substr(at, conninfo.find(' ', at) - at);
  };
  const std::string socket = setting("host"), port = setting("port");
  const fs::path pgdata = fs::path(socket).parent_path() / "pgdata";
  {
    std::string hba = read_file(pgdata / "pg_hba.conf");
    write_file(pgdata / "pg_hba.conf", "local all haul_secret scram-sha-256\n" + hba);
    auto connection = db.connect();
    pqxx::nontransaction tx(*connection);
    tx.exec("CREATE ROLE haul_secret LOGIN PASSWORD " + tx.quote(db_password));
    tx.exec("SELECT pg_reload_conf()");
  }
  auto database_url = [&](const std::string& password) {
    return "postgresql://haul_secret:" + url_encode(password) + "@/" + db.name() +
           "?host=" + url_encode(socket) + "&port=" + port;
  };
  // Migrations as the superuser; the password role owns the tables after.
  {
    Command migrate;
    migrate.program = haul_executable("haul-import");
    migrate.args = {"--migrate-only", "--db", db.conninfo(), "--data-dir", ws.root().string()};
    ProcessResult result = run_process(migrate);
    ASSERT_TRUE(ExitedWith(result, 0));
    db.scalar("GRANT haul_owner TO haul_secret");
    // The migration's own run left nothing secret: start the data root afresh.
    fs::remove_all(ws.root());
    fs::create_directories(ws.root());
  }

  std::vector<std::pair<std::string, std::optional<std::string>>> env = {
      {"HAUL_TOKEN", token},
      {"HAUL_API_KEY", api_key},
      {"HAUL_BODY_KEY", body_key},
      {"HAUL_BASIC_USER", basic_user},
      {"HAUL_BASIC_PASS", basic_pass},
      {"HAUL_GEO_KEY", geo_key},
      {"HAUL_BIN", haul_executable("").string()},
      {"HAUL_DATA_DIR", ws.root().string()},
      {"HAUL_CONFIG_DIR", ws.config_dir().string()},
      {"PGHOST", std::nullopt},
      {"PGPORT", std::nullopt},
      {"PGUSER", std::nullopt},
      {"PGDATABASE", std::nullopt},
      {"PGPASSWORD", std::nullopt},
      {"NO_COLOR", "1"},
  };
  std::string captured;
  auto run = [&](const std::string& program, std::vector<std::string> args,
                 const std::string& password) {
    Command command;
    command.program = program;
    command.args = std::move(args);
    command.env = env;
    command.env.emplace_back("DATABASE_URL", database_url(password));
    ProcessResult result = run_process(command);
    EXPECT_TRUE(result.exited()) << program << " died of signal " << result.term_signal;
    captured += result.out + result.err;
    return result;
  };
  const std::string haul_run = (fs::path(HAUL_SOURCE_DIR) / "scripts" / "haul-run").string();
  const std::string all_stages = "scrape,validate,dedup,enrich,import,report";

  ProcessResult good = run(haul_run, {"--date", kDate, "--stages", all_stages, "-v"}, db_password);
  EXPECT_TRUE(good.exit_code == 0 || good.exit_code == 65) << good.err;
  EXPECT_GE(server.count("/bearer"), 1u);
  // The Woodbridge addresses are the gazetteer's misses: the keyed geocoder was asked.
  EXPECT_GE(server.count("/geo"), 1u);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM vehicles"), "4") << good.err;
  EXPECT_TRUE(fs::exists(ws.failed_dir() / "basic_001.body"));

  // The error paths: a wrong password for the next date's import, then for
  // cleanup's database upkeep; and cleanup with the right one, which archives.
  ProcessResult bad = run(haul_run, {"--date", "2026-11-24", "--force", "-v"}, wrong_password);
  EXPECT_NE(bad.exit_code, 0) << "a wrong password must fail the import";
  ProcessResult bad_cleanup =
      run(haul_executable("haul-cleanup").string(), {"--date", "2026-12-10", "-v"}, wrong_password);
  EXPECT_NE(bad_cleanup.exit_code, 0);
  ProcessResult cleanup = run(haul_executable("haul-cleanup").string(),
                              {"--date", "2026-12-10", "-v", "--json"}, db_password);
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.err;
  EXPECT_TRUE(fs::exists(ws.root() / "archive" / (std::string(kDate) + ".tar.gz")));

  // Every file under the data root (archives unpacked), every name.
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ws.root())) {
    expect_clean("the name " + entry.path().string(), entry.path().string());
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string text = read_file(entry.path());
    expect_clean(entry.path().string(), text);
    if (entry.path().extension() == ".gz")
      expect_clean(entry.path().string(), gunzip(entry.path()));
  }
  EXPECT_GE(files, 15u);  // raw, processed, failed, state, logs, archive
  EXPECT_TRUE(fs::exists(ws.root() / "logs" / "errors.log"));
  expect_clean("the captured output", captured);
  // The database's rows: listings, the mirrored ledger.
  for (const char* table : {"vehicles", "pipeline_runs"}) {
    expect_clean(table,
                 db.scalar(std::string("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM ") +
                           table + " t"));
  }
}

}  // namespace
}  // namespace haul::testing
