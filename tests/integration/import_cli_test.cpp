// haul-import as cron runs it: the real executable against a real
// PostgreSQL (a fresh database per test on the server scripts/test starts),
// checked through the tables, the failed files, the report and the exit code.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "db/embedded_migrations.hpp"
#include "support/exit_codes.hpp"
#include "support/import_workspace.hpp"
#include "support/json_doc.hpp"
#include "support/test_database.hpp"
#include "support/validate_workspace.hpp"

namespace haul::testing {
namespace {

std::vector<std::string> vehicles(int count, int price = 20000) {
  std::vector<std::string> lines;
  for (int i = 1; i <= count; ++i) lines.push_back(vehicle_record(i, price));
  return lines;
}

class ImportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    HAUL_SKIP_WITHOUT_DATABASE();
    db_ = std::make_unique<TestDatabase>();
    ws_ = std::make_unique<ImportWorkspace>(db_->conninfo());
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ImportWorkspace> ws_;
};

TEST_F(ImportCli, LoadsEveryColumnTypeVerbatim) {
  // Strings a naive COPY or SQL builder would mangle, stored as they are.
  const std::string tricky =
      R"(Müller Straße – 🚗 it's \"quoted\", back\\slash, tab\there,\nnew line; )"
      R"(Robert'); DROP TABLE vehicles;-- \\N)";
  // The description of record 2 carries the tricky text.
  std::vector<std::string> lines = {vehicle_record(
      1, 25998,
      R"("vin":"1HGCM82633A004352","imageUrl":"https://img.example.com/1.jpg","locationCity":"Toronto","locationState":"ON","locationRegion":"Northeast","category":"Sports Cars","condition":"Good","extra_field":{"nested":[1,2]})")};
  std::string second = vehicle_record(2, 10500);
  second.replace(second.find("Car number 2, runs well"),
                 std::string("Car number 2, runs well").size(), tricky);
  lines.push_back(second);
  ws_->write_input(lines);

  auto result = ws_->run();
  ASSERT_TRUE(ExitedWith(result, kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "2");
  EXPECT_EQ(db_->scalar("SELECT price FROM vehicles WHERE stock_number = 'S-1'"), "25998");
  EXPECT_EQ(db_->scalar("SELECT year FROM vehicles WHERE stock_number = 'S-1'"), "2001");
  EXPECT_EQ(db_->scalar("SELECT mileage FROM vehicles WHERE stock_number = 'S-1'"), "1000");
  EXPECT_EQ(
      db_->scalar("SELECT vin || '|' || image_url || '|' || location_city || '|' || "
                  "location_state || '|' || location_region || '|' || category || '|' || "
                  "condition || '|' || source_name || '|' || source_url || '|' || stock_number "
                  "FROM vehicles WHERE stock_number = 'S-1'"),
      "1HGCM82633A004352|https://img.example.com/1.jpg|Toronto|ON|Northeast|Sports "
      "Cars|Good|test-dealer|https://dealer.example.com/cars/1|S-1");
  EXPECT_EQ(db_->scalar("SELECT record->'extra_field'->'nested'->>1 FROM vehicles WHERE "
                        "stock_number = 'S-1'"),
            "2");
  EXPECT_EQ(db_->scalar("SELECT record->'_meta'->>'source' FROM vehicles LIMIT 1"), "test-dealer");
  // The JSON escapes decoded once: exactly the string the record holds.
  EXPECT_EQ(db_->scalar("SELECT description FROM vehicles WHERE stock_number = 'S-2'"),
            "Müller Straße – 🚗 it's \"quoted\", back\\slash, tab\there,\nnew line; "
            "Robert'); DROP TABLE vehicles;-- \\N");
  EXPECT_EQ(db_->scalar("SELECT first_seen_at = '2026-11-23T00:00:00Z' AND last_seen_at = "
                        "first_seen_at AND status = 'active' FROM vehicles LIMIT 1"),
            "t");
  // Full-text search finds listings by make and by description words.
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles WHERE search @@ "
                        "to_tsquery('simple', 'toyota')"),
            "2");
  EXPECT_EQ(db_->scalar("SELECT stock_number FROM vehicles WHERE search @@ "
                        "plainto_tsquery('english', 'straße')"),
            "S-2");
  // The identities were computed (validated.jsonl carries none) and are well-formed.
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles WHERE listing_key ~ '^[0-9a-f]{64}$' AND "
                        "data_hash ~ '^[0-9a-f]{64}$' AND content_hash ~ '^[0-9a-f]{64}$'"),
            "2");
  JsonDoc report(read_file(ws_->report()));
  EXPECT_EQ(report.uint64("/records_read"), 2u);
  EXPECT_EQ(report.uint64("/inserted"), 2u);
  EXPECT_EQ(report.str("/input"), "processed/2026-11-23/vehicles/validated.jsonl");
}

TEST_F(ImportCli, EventsAndArticlesLoadTheirTypedColumns) {
  ws_->write_input(
      {R"({"title":"Cars & Coffee","startDate":"2026-12-05T09:00:00-05:00","endDate":"2026-12-05","venue":"Lot 7","price":0,"category":"Meet","sourceName":"ev","sourceUrl":"https://ev.example.com/1"})"},
      "events");
  ws_->write_input(
      {R"({"title":"Classic prices rise","url":"https://news.example.com/a","publishedAt":"2026-11-20T08:00:00Z","tags":["market","classic"],"body":"Prices of classic cars rose again.","sourceName":"news"})"},
      "articles");
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  EXPECT_EQ(db_->scalar("SELECT start_date = '2026-12-05T14:00:00Z' AND end_date = "
                        "'2026-12-05T00:00:00Z' FROM events"),
            "t");
  EXPECT_EQ(db_->scalar("SELECT array_to_string(tags, ',') FROM articles"), "market,classic");
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM articles WHERE search @@ "
                        "plainto_tsquery('english', 'classic prices')"),
            "1");
}

TEST_F(ImportCli, ReimportingTheSameFileChangesNothing) {
  ws_->write_input(vehicles(30));
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  std::string before =
      db_->scalar("SELECT string_agg(xmin::text || ':' || id, ',' ORDER BY id) FROM vehicles");
  auto again = ws_->run({"--json"});
  ASSERT_TRUE(ExitedWith(again, kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "30");
  // Not a single tuple was rewritten: same xmin everywhere.
  EXPECT_EQ(
      db_->scalar("SELECT string_agg(xmin::text || ':' || id, ',' ORDER BY id) FROM vehicles"),
      before);
  JsonDoc json(again.out);
  EXPECT_EQ(json.uint64("/partitions/0/details/unchanged"), 30u);
  EXPECT_EQ(json.uint64("/partitions/0/details/inserted"), 0u);
  EXPECT_NE(again.out.find("\"records_in\":30"), std::string::npos);

  // The next day: same listings, last_seen_at advances, first_seen_at stays.
  ws_->write_input(vehicles(30), "vehicles", "validated.jsonl", "2026-11-24");
  ASSERT_TRUE(ExitedWith(ws_->run({"--date", "2026-11-24"}), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles WHERE last_seen_at = '2026-11-24Z' AND "
                        "first_seen_at = '2026-11-23Z'"),
            "30");
}

// Seeing a listing again unchanged only advances last_seen_at. Migration
// 0005 keeps that a heap-only (HOT) update: no index covers last_seen_at and
// pages keep room for the new version. An index on the column, or full pages,
// would make every daily touch write every index again (none HOT).
TEST_F(ImportCli, TheDailyTouchOfUnchangedListingsIsHeapOnly) {
  ws_->write_input(vehicles(300));
  ASSERT_TRUE(ExitedWith(ws_->run({"--chunk-size", "50"}), kOk));
  ws_->write_input(vehicles(300), "vehicles", "validated.jsonl", "2026-11-24");
  ASSERT_TRUE(ExitedWith(ws_->run({"--date", "2026-11-24", "--chunk-size", "50"}), kOk));
  // The importer's backend flushed its statistics when it exited.
  const std::string updates =
      db_->scalar("SELECT n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables "
                  "WHERE relname = 'vehicles'");
  int all = 0, hot = 0;
  ASSERT_EQ(std::sscanf(updates.c_str(), "%d %d", &all, &hot), 2) << updates;
  EXPECT_EQ(all, 300);
  EXPECT_GE(hot * 3, all) << "HOT updates: " << updates;
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles WHERE last_seen_at = '2026-11-24Z'"), "300");
}

TEST_F(ImportCli, ChangedPriceUpdatesTheRowAndWritesPriceHistory) {
  ws_->write_input(vehicles(5, 20000));
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  std::vector<std::string> changed = vehicles(5, 20000);
  changed[2] = vehicle_record(3, 18500);
  ws_->write_input(changed, "vehicles", "validated.jsonl", "2026-11-24");
  auto result = ws_->run({"--date", "2026-11-24", "--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc json(result.out);
  EXPECT_EQ(json.uint64("/partitions/0/details/updated"), 1u);
  EXPECT_EQ(json.uint64("/partitions/0/details/unchanged"), 4u);
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "5");
  EXPECT_EQ(db_->scalar("SELECT price FROM vehicles WHERE stock_number = 'S-3'"), "18500");
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicle_prices"), "1");
  EXPECT_EQ(db_->scalar("SELECT old_price || '->' || new_price || ' ' || (changed_at = "
                        "'2026-11-24Z') FROM vehicle_prices"),
            "20000->18500 true");
}

TEST_F(ImportCli, BadRowsAreIsolatedWhileTheirNeighboursLand) {
  std::vector<std::string> lines = vehicles(40);
  lines[3] = vehicle_record(4, -5);                                        // 23514 check, bisected
  lines[10] = vehicle_record(11, 20000, R"("description":"nul \u0000")");  // 22P05 at COPY line N
  lines[20].replace(lines[20].find("\"mileage\":21000"), 15, "\"mileage\":\"many\"");  // 22P02
  lines[25] = R"({"make":"Ford","model":)";                                            // not JSON
  lines[30] = "[1,2]";                                                             // not an object
  lines[33] = vehicle_record(34, 20000, "\"description\":\"bad \xff byte\"");      // not UTF-8
  lines[35].replace(lines[35].find("\"year\":2011"), 11, "\"year\":99999999999");  // 22003
  lines[37] = vehicle_record(38, 20000, "\"huge\":\"" + std::string(4096, 'x') + "\"");
  ws_->write_input(lines);
  auto result = ws_->run({"--chunk-size", "16", "--json", "--max-record-bytes", "2048"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "32");
  auto errors = read_jsonl(ws_->errors());
  ASSERT_EQ(errors.size(), 8u);
  std::map<std::uint64_t, const JsonDoc*> by_record;
  for (const auto& e : errors) by_record[e->uint64("/record_no").value_or(0)] = e.get();
  ASSERT_EQ(by_record.size(), 8u);
  EXPECT_EQ(by_record[4]->str("/sqlstate"), "23514");
  EXPECT_EQ(by_record[4]->int64("/record/price"), -5);
  EXPECT_EQ(by_record[11]->str("/sqlstate"), "22P05");
  EXPECT_EQ(by_record[21]->str("/sqlstate"), "22P02");
  EXPECT_EQ(by_record[21]->str("/input_file"), "processed/2026-11-23/vehicles/validated.jsonl");
  EXPECT_EQ(by_record[21]->str("/record/mileage"), "many");
  EXPECT_EQ(by_record[26]->str("/errors/0/code"), "invalid_json");
  EXPECT_EQ(by_record[31]->str("/errors/0/code"), "invalid_type");
  EXPECT_EQ(by_record[34]->str("/errors/0/code"), "invalid_utf8");
  EXPECT_EQ(by_record[36]->str("/sqlstate"), "22003");
  EXPECT_EQ(by_record[38]->str("/errors/0/code"), "record_too_large");
  JsonDoc json(result.out);
  EXPECT_EQ(json.uint64("/partitions/0/details/rejected"), 8u);
  EXPECT_EQ(json.uint64("/partitions/0/details/inserted"), 32u);
  EXPECT_EQ(read_file(ws_->retry_queue()), "");
}

TEST_F(ImportCli, ABrokenArrayFileKeepsWhatCameBeforeTheBreak) {
  write_file(ws_->processed_dir() / "validated.jsonl",
             "[" + vehicle_record(1) + "," + R"({"make":"Ford"})" + "," + vehicle_record(3));
  auto result = ws_->run({"--json"});
  // Every complete record before the missing "]" was processed.
  EXPECT_TRUE(ExitedWith(result, 65));
  EXPECT_NE(result.err.find("truncated"), std::string::npos) << result.err;
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "2");
  // The refused record before the break is kept in the failed file.
  auto errors = read_jsonl(ws_->errors());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->str("/sqlstate"), "23502");
  EXPECT_TRUE(std::filesystem::exists(ws_->report()));
}

TEST_F(ImportCli, RepeatedListingKeysInOneChunkKeepTheLastRecord) {
  std::vector<std::string> lines = vehicles(3);
  lines.push_back(vehicle_record(2, 30000));  // same stock number: same listing
  ws_->write_input(lines);
  auto result = ws_->run({"--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc json(result.out);
  EXPECT_EQ(json.uint64("/partitions/0/details/superseded"), 1u);
  EXPECT_EQ(json.uint64("/partitions/0/details/inserted"), 3u);
  EXPECT_EQ(db_->scalar("SELECT price FROM vehicles WHERE stock_number = 'S-2'"), "30000");
}

TEST_F(ImportCli, PrefersTheLatestStageOutputAndUsesCarriedIdentities) {
  ws_->write_input(vehicles(3), "vehicles", "validated.jsonl");
  std::string key(64, 'a'), data(64, 'b'), content(64, 'c');
  std::string with_ids = vehicle_record(7, 20000,
                                        R"("data_hash":")" + data + R"(","listing_key":")" + key +
                                            R"(","content_hash":")" + content + "\"");
  ws_->write_input({with_ids}, "vehicles", "deduped.jsonl");
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "1");
  EXPECT_EQ(db_->scalar("SELECT listing_key = repeat('a', 64) AND data_hash = repeat('b', 64) AND "
                        "content_hash = repeat('c', 64) FROM vehicles"),
            "t");
  ws_->write_input(vehicles(2), "vehicles", "enriched.jsonl");
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "3");
}

TEST_F(ImportCli, EmptyInputImportsNothingAndMissingInputIsNoInput) {
  ws_->write_input({}, "vehicles");
  ASSERT_TRUE(ExitedWith(ws_->run({"--type", "vehicles"}), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "0");
  EXPECT_TRUE(std::filesystem::exists(ws_->report()));
  EXPECT_TRUE(ExitedWith(ws_->run({"--type", "events"}), kNoInput));
}

TEST_F(ImportCli, SecondImporterExitsTempFail) {
  ws_->write_input(vehicles(3));
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));  // migrates
  // Another importer: a session holding the importer lock.
  auto other = db_->connect();
  pqxx::nontransaction tx(*other);
  // The finished importer's backend may take a moment to go away.
  bool locked = false;
  for (int i = 0; i < 100 && !locked; ++i) {
    locked = tx.exec1("SELECT pg_try_advisory_lock(x'6861756c'::int, 1)")[0].as<bool>();
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(locked);
  auto result = ws_->run();
  EXPECT_TRUE(ExitedWith(result, kTempFail));
  EXPECT_NE(result.err.find("another haul-import"), std::string::npos) << result.err;
  tx.exec("SELECT pg_advisory_unlock(x'6861756c'::int, 1)");
  EXPECT_TRUE(ExitedWith(ws_->run(), kOk));
}

TEST_F(ImportCli, TwoImportersAtOnceNeverDoubleARow) {
  ws_->write_input(vehicles(3000));
  ASSERT_TRUE(ExitedWith(ws_->run({"--migrate-only"}), kOk));
  BackgroundProcess first(ws_->command({"--chunk-size", "100"}));
  BackgroundProcess second(ws_->command({"--chunk-size", "100"}));
  ProcessResult a = first.wait(), b = second.wait();
  ASSERT_TRUE(a.exited() && b.exited());
  // Either both finished one after the other, or one was turned away with 75.
  EXPECT_TRUE((a.exit_code == 0 || a.exit_code == kTempFail) &&
              (b.exit_code == 0 || b.exit_code == kTempFail))
      << a.err << b.err;
  EXPECT_TRUE(a.exit_code == 0 || b.exit_code == 0);
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "3000");
}

TEST_F(ImportCli, ServerDownQueuesEverythingAndExits69) {
  ws_->write_input(vehicles(7));
  TempDir nowhere;
  ws_->set_conninfo(unreachable_conninfo(nowhere.path()));
  auto result = ws_->run({"--retry-attempts", "3", "--retry-base-ms", "10"});
  EXPECT_TRUE(ExitedWith(result, kUnavailable));
  auto queued = read_jsonl(ws_->retry_queue());
  ASSERT_EQ(queued.size(), 7u);
  EXPECT_EQ(queued[0]->uint64("/record_no"), 1u);
  EXPECT_EQ(queued[6]->str("/record/stockNumber"), "S-7");
  EXPECT_EQ(read_file(ws_->errors()), "");
  JsonDoc report(read_file(ws_->report()));
  EXPECT_EQ(report.uint64("/queued_for_retry"), 7u);
  EXPECT_EQ(report.int64("/exit_code"), kUnavailable);
  // The connection string is never echoed (it may hold a password).
  EXPECT_EQ(result.err.find("port=5999"), std::string::npos) << result.err;
}

TEST_F(ImportCli, ConfigurationErrorsExit78) {
  ws_->write_input(vehicles(2));
  ws_->set_conninfo(db_->conninfo() + "_missing");
  EXPECT_TRUE(ExitedWith(ws_->run(), kConfig));
  ws_->set_conninfo(db_->conninfo_as("no_such_role_here"));
  EXPECT_TRUE(ExitedWith(ws_->run(), kConfig));
}

TEST_F(ImportCli, PrivilegeErrorsMidRunQueueTheRecordsAndExit78) {
  ws_->write_input(vehicles(4));
  ASSERT_TRUE(ExitedWith(ws_->run({"--migrate-only"}), kOk));
  db_->scalar("REVOKE INSERT ON vehicles FROM haul_importer");
  ws_->set_conninfo(db_->conninfo_as("haul_importer"));
  auto result = ws_->run();
  EXPECT_TRUE(ExitedWith(result, kConfig));
  EXPECT_NE(result.err.find("permission denied"), std::string::npos) << result.err;
  auto queued = read_jsonl(ws_->retry_queue());
  ASSERT_EQ(queued.size(), 4u);
  EXPECT_EQ(queued[0]->str("/sqlstate"), "42501");
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "0");
}

TEST_F(ImportCli, DryRunReadsAndCountsButWritesNothing) {
  ws_->write_input(vehicles(3));
  TempDir nowhere;  // no database is needed, nor contacted
  ws_->set_conninfo(unreachable_conninfo(nowhere.path()));
  auto result = ws_->run({"--dry-run", "--json"});
  ASSERT_TRUE(ExitedWith(result, kOk));
  JsonDoc json(result.out);
  EXPECT_EQ(json.uint64("/partitions/0/records_in"), 3u);
  EXPECT_FALSE(std::filesystem::exists(ws_->report()));
  EXPECT_FALSE(std::filesystem::exists(ws_->errors()));
}

TEST_F(ImportCli, DatabaseUrlFromTheEnvironment) {
  ws_->write_input(vehicles(2));
  ASSERT_TRUE(ExitedWith(run_process(ws_->command({}, /*use_db_flag=*/false)), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "2");
}

TEST_F(ImportCli, MigrateOnlyAppliesTheSchemaOnce) {
  auto first = ws_->run({"--migrate-only"});
  ASSERT_TRUE(ExitedWith(first, kOk));
  const std::size_t migrations = haul::db::embedded_migrations().size();
  ASSERT_GE(migrations, 3u);  // roles, listings, enrichment
  std::string expected_versions = "1";
  for (std::size_t v = 2; v <= migrations; ++v) expected_versions += "," + std::to_string(v);
  EXPECT_NE(first.out.find(fmt::format("{} migration(s) applied now", migrations)),
            std::string::npos)
      << first.out;
  auto second = ws_->run({"--migrate-only"});
  ASSERT_TRUE(ExitedWith(second, kOk));
  EXPECT_NE(second.out.find("0 migration(s) applied now"), std::string::npos) << second.out;
  EXPECT_EQ(db_->scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM "
                        "schema_migrations"),
            expected_versions);
  // An edited migration is refused.
  db_->scalar("UPDATE schema_migrations SET checksum = 'x' WHERE version = 2");
  EXPECT_TRUE(ExitedWith(ws_->run({"--migrate-only"}), kConfig));
}

TEST_F(ImportCli, MirrorsTheRunLedgerIntoPipelineRuns) {
  ws_->write_input(vehicles(4));
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  EXPECT_EQ(db_->scalar("SELECT stage || ' ' || status || ' ' || records_in || ' ' || run_date "
                        "FROM pipeline_runs"),
            "import completed 4 2026-11-23");
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM pipeline_runs WHERE status = 'completed'"), "2");
}

TEST_F(ImportCli, ImporterRoleCanImportAndNothingMore) {
  ws_->write_input(vehicles(6));
  ASSERT_TRUE(ExitedWith(ws_->run({"--migrate-only"}), kOk));
  ws_->set_conninfo(db_->conninfo_as("haul_importer"));
  // The importer role cannot migrate...
  EXPECT_TRUE(ExitedWith(ws_->run({"--migrate-only"}), kOk));  // nothing to do: allowed
  // ...but it imports, updates and records price history.
  ASSERT_TRUE(ExitedWith(ws_->run(), kOk));
  std::vector<std::string> changed = vehicles(6);
  changed[0] = vehicle_record(1, 1234);
  ws_->write_input(changed, "vehicles", "validated.jsonl", "2026-11-24");
  ASSERT_TRUE(ExitedWith(ws_->run({"--date", "2026-11-24"}), kOk));
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicle_prices"), "1");
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM pipeline_runs"), "2");

  pqxx::connection importer(db_->conninfo_as("haul_importer"));
  for (const char* statement :
       {"DELETE FROM vehicles", "TRUNCATE vehicles", "CREATE TABLE sneaky (id int)",
        "DROP TABLE vehicles", "ALTER TABLE vehicles ADD COLUMN x int",
        "UPDATE vehicles SET first_seen_at = now()", "DELETE FROM vehicle_prices",
        "SELECT first_seen_at FROM vehicles", "DELETE FROM schema_migrations"}) {
    pqxx::nontransaction tx(importer);
    try {
      tx.exec(statement);
      ADD_FAILURE() << "haul_importer was allowed: " << statement;
    } catch (const pqxx::sql_error& e) {
      std::string message = e.what();
      EXPECT_TRUE(message.find("permission denied") != std::string::npos ||
                  message.find("must be owner") != std::string::npos)
          << statement << ": " << message;
    }
  }
  EXPECT_EQ(db_->scalar("SELECT count(*) FROM vehicles"), "6");
}

}  // namespace
}  // namespace haul::testing
