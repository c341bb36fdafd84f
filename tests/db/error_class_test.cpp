// Classification of database errors: by libpqxx exception class first (some
// carry no SQLSTATE), then by SQLSTATE; checked on constructed exceptions and
// on errors a real server raises.

#include "db/error_class.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/test_database.hpp"

namespace haul::db {
namespace {

TEST(ErrorClass, SqlstateClasses) {
  EXPECT_EQ(kind_of_sqlstate("22P02"), ErrorKind::kPermanent);
  EXPECT_EQ(kind_of_sqlstate("23505"), ErrorKind::kPermanent);
  EXPECT_EQ(kind_of_sqlstate("21000"), ErrorKind::kPermanent);
  for (const char* transient :
       {"08006", "08001", "40001", "40P01", "53300", "53100", "57P01", "57P03", "55P03", "57014"}) {
    EXPECT_EQ(kind_of_sqlstate(transient), ErrorKind::kTransient) << transient;
  }
  for (const char* fatal : {"42501", "42P01", "42703", "28P01", "3D000", "25P02", "XX000", ""}) {
    EXPECT_EQ(kind_of_sqlstate(fatal), ErrorKind::kFatal) << fatal;
  }
}

TEST(ErrorClass, ExceptionTypesWithoutSqlstate) {
  // libpqxx 6.4.5 gives these no sqlstate(): the class must decide.
  DbError serialization = classify(pqxx::serialization_failure("ERROR:  could not serialize"));
  EXPECT_EQ(serialization.kind, ErrorKind::kTransient);
  EXPECT_EQ(serialization.sqlstate, "40001");
  EXPECT_EQ(classify(pqxx::deadlock_detected("ERROR:  deadlock")).sqlstate, "40P01");
  EXPECT_EQ(classify(pqxx::broken_connection("server closed the connection")).kind,
            ErrorKind::kTransient);
  EXPECT_EQ(classify(pqxx::too_many_connections("FATAL:  too many connections")).kind,
            ErrorKind::kTransient);
  EXPECT_EQ(classify(pqxx::in_doubt_error("commit in doubt")).kind, ErrorKind::kTransient);
  DbError privilege = classify(pqxx::insufficient_privilege("ERROR:  permission denied", "q"));
  EXPECT_EQ(privilege.kind, ErrorKind::kFatal);
  EXPECT_EQ(privilege.sqlstate, "42501");
  EXPECT_EQ(exit_code_for(privilege), ExitCode::kConfig);
  EXPECT_EQ(classify(std::runtime_error("boom")).kind, ErrorKind::kFatal);
}

TEST(ErrorClass, ConnectFailuresThatNoRetryFixesAreConfiguration) {
  DbError missing = classify(
      pqxx::broken_connection("connection failed: FATAL:  database \"nope\" does not exist"));
  EXPECT_EQ(missing.kind, ErrorKind::kFatal);
  EXPECT_EQ(exit_code_for(missing), ExitCode::kConfig);
  DbError auth =
      classify(pqxx::broken_connection("FATAL:  password authentication failed for user \"haul\""));
  EXPECT_EQ(exit_code_for(auth), ExitCode::kConfig);
  DbError refused =
      classify(pqxx::broken_connection("could not connect to server: No such file or directory"));
  EXPECT_EQ(refused.kind, ErrorKind::kTransient);
  EXPECT_EQ(exit_code_for(refused), ExitCode::kUnavailable);
}

TEST(ErrorClass, MessageSplitsIntoTextAndDetail) {
  DbError e = classify(pqxx::data_exception(
      "ERROR:  invalid input syntax for type integer: \"x\"\nCONTEXT:  COPY t, line 3\n", "q",
      "22P02"));
  EXPECT_EQ(e.message, "invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(e.detail, "CONTEXT:  COPY t, line 3");
  EXPECT_EQ(e.sqlstate, "22P02");
  EXPECT_EQ(e.kind, ErrorKind::kPermanent);
}

// What a real server raises, through the real libpqxx.
TEST(ErrorClass, RealServerErrors) {
  HAUL_SKIP_WITHOUT_DATABASE();
  haul::testing::TestDatabase db;
  auto connection = db.connect();
  auto raise = [&](const std::string& sqlstate) {
    pqxx::nontransaction tx(*connection);
    try {
      tx.exec("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '" + sqlstate + "'; END $$");
    } catch (const std::exception& e) {
      return classify(e);
    }
    ADD_FAILURE() << "no error for " << sqlstate;
    return DbError{};
  };
  EXPECT_EQ(raise("40001").kind, ErrorKind::kTransient);
  EXPECT_EQ(raise("40P01").kind, ErrorKind::kTransient);
  EXPECT_EQ(raise("57P01").kind, ErrorKind::kTransient);
  EXPECT_EQ(raise("23505").kind, ErrorKind::kPermanent);
  EXPECT_EQ(raise("22P02").kind, ErrorKind::kPermanent);
  DbError privilege = raise("42501");
  EXPECT_EQ(privilege.kind, ErrorKind::kFatal);
  EXPECT_EQ(privilege.sqlstate, "42501");
  EXPECT_EQ(raise("42P01").kind, ErrorKind::kFatal);
}

}  // namespace
}  // namespace haul::db
