#include "cleanup/cleanup_config.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "io/data_layout.hpp"
#include "run/config_section.hpp"

namespace haul::cleanup {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// A number of days, or null for "never".
Status days_or_never(const run::ConfigSection& where, element value, std::string_view key,
                     std::optional<long>& out) {
  if (value.is_null()) {
    out.reset();
    return Status::ok();
  }
  std::size_t days = 0;
  if (Status s = where.count(value, key, days); !s.is_ok()) {
    return where.error(key, "must be a whole number of days, or null for never");
  }
  out = static_cast<long>(days);
  return Status::ok();
}

Status load_retention(const run::ConfigSection& where, object section, RetentionConfig& out) {
  if (Status s = where.unknown_keys(section, {"raw_days", "processed_days", "failed_days",
                                             "archive_days"});
      !s.is_ok()) {
    return s;
  }
  for (auto [key, value] : section) {
    if (key == "$comment") continue;
    if (key == "archive_days") {
      if (Status s = days_or_never(where, value, key, out.archive_days); !s.is_ok()) return s;
      continue;
    }
    std::string area(key.substr(0, key.find('_')));
    if (Status s = days_or_never(where, value, key, out.area_days[area]); !s.is_ok()) return s;
  }
  return Status::ok();
}

Status load_table(const run::ConfigSection& where, const std::string& type, object section,
                  TableUpkeep& out) {
  if (type == "vehicles") {
    if (Status s = where.unknown_keys(section, {"inactive_after_days", "incomplete_if_missing",
                                               "make_whitelist"});
        !s.is_ok()) {
      return s;
    }
  } else if (Status s = where.unknown_keys(section, {"inactive_after_days", "incomplete_if_missing"});
             !s.is_ok()) {
    return s;
  }
  for (auto [key, value] : section) {
    if (key == "inactive_after_days") {
      if (Status s = days_or_never(where, value, key, out.inactive_after_days); !s.is_ok()) return s;
    } else if (key == "incomplete_if_missing") {
      if (Status s = where.strings(value, key, out.incomplete_if_missing); !s.is_ok()) return s;
      for (const std::string& column : out.incomplete_if_missing) {
        const bool plain = std::all_of(column.begin(), column.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
        if (!plain) return where.error(key, fmt::format("names \"{}\", which is not a column name", column));
      }
    } else if (key == "make_whitelist") {
      if (Status s = where.strings(value, key, out.make_whitelist); !s.is_ok()) return s;
      for (std::string& make : out.make_whitelist) {
        const auto first = make.find_first_not_of(" \t");
        make = first == std::string::npos ? "" : make.substr(first, make.find_last_not_of(" \t") - first + 1);
        std::transform(make.begin(), make.end(), make.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      }
    }
  }
  return Status::ok();
}

Status load_dead_links(const run::ConfigSection& where, object section, DeadLinkConfig& out) {
  if (Status s = where.unknown_keys(
          section, {"enabled", "max_checks", "recheck_days", "user_agent", "contact", "concurrency",
                    "per_host_concurrency", "min_delay_s", "jitter_s", "requests_per_second",
                    "timeout_s", "robots", "ca_bundle"});
      !s.is_ok()) {
    return s;
  }
  for (auto [key, value] : section) {
    Status s;
    double number = 0;
    std::size_t n = 0;
    if (key == "enabled") {
      s = where.flag(value, key, out.enabled);
    } else if (key == "robots") {
      s = where.flag(value, key, out.robots);
    } else if (key == "max_checks") {
      s = where.count(value, key, out.max_checks);
    } else if (key == "recheck_days") {
      if ((s = where.count(value, key, n)).is_ok()) out.recheck_days = static_cast<long>(n);
    } else if (key == "user_agent") {
      if ((s = where.text(value, key, out.user_agent)).is_ok() && out.user_agent.empty())
        s = where.error(key, "must not be empty");
    } else if (key == "contact") {
      s = where.text(value, key, out.contact);
    } else if (key == "ca_bundle") {
      s = where.text(value, key, out.ca_bundle);
    } else if (key == "concurrency" || key == "per_host_concurrency") {
      if ((s = where.number_in(value, key, 1, 256, number)).is_ok()) {
        (key == "concurrency" ? out.concurrency : out.per_host_concurrency) = static_cast<int>(number);
      }
    } else if (key == "min_delay_s") {
      s = where.number_in(value, key, 0, 3600, out.min_delay_s);
    } else if (key == "jitter_s") {
      s = where.number_in(value, key, 0, 3600, out.jitter_s);
    } else if (key == "requests_per_second") {
      s = where.number_in(value, key, 0.001, 1000, out.requests_per_second);
    } else if (key == "timeout_s") {
      s = where.number_in(value, key, 1, 600, out.timeout_s);
    }
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

Status load_database(const run::ConfigSection& where, object section, DatabaseConfig& out) {
  if (Status s = where.unknown_keys(section, {"enabled", "vacuum", "dead_links", "vehicles",
                                             "events", "articles"});
      !s.is_ok()) {
    return s;
  }
  for (auto [key, value] : section) {
    object nested;
    if (key == "$comment") continue;
    if (key == "enabled") {
      if (Status s = where.flag(value, key, out.enabled); !s.is_ok()) return s;
      continue;
    }
    if (Status s = where.object(value, key, nested); !s.is_ok()) return s;
    const run::ConfigSection inner = where.nested(key);
    if (key == "vacuum") {
      if (Status s = inner.unknown_keys(nested, {"min_deleted_rows", "min_deleted_fraction"});
          !s.is_ok()) {
        return s;
      }
      element v;
      std::size_t rows = 0;
      if (!nested["min_deleted_rows"].get(v)) {
        if (Status s = inner.count(v, "min_deleted_rows", rows); !s.is_ok()) return s;
        out.vacuum.min_deleted_rows = rows;
      }
      if (!nested["min_deleted_fraction"].get(v)) {
        if (Status s = inner.number_in(v, "min_deleted_fraction", 0, 1,
                                       out.vacuum.min_deleted_fraction);
            !s.is_ok()) {
          return s;
        }
      }
    } else if (key == "dead_links") {
      if (Status s = load_dead_links(inner, nested, out.dead_links); !s.is_ok()) return s;
    } else {
      const std::string type(key);
      if (Status s = load_table(inner, type, nested, out.tables[type]); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

void set_defaults(CleanupConfig& config) {
  for (std::string_view type : io::kRecordTypes) {
    TableUpkeep& table = config.database.tables[std::string(type)];
    table.inactive_after_days = 30;
  }
  config.database.tables["vehicles"].incomplete_if_missing = {"price", "mileage"};
}

}  // namespace

Status load_cleanup_config(const std::filesystem::path& path, CleanupConfig& config) {
  config = CleanupConfig();
  set_defaults(config);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.load(path.string()).get(root)) {
    return Status::error(ExitCode::kConfig, fmt::format("{}: not valid JSON: {}", path.string(),
                                                        simdjson::error_message(error)));
  }
  object top;
  if (root.get(top)) return Status::error(ExitCode::kConfig, path.string() + ": must be a JSON object");
  const run::ConfigSection where(path, "cleanup");
  if (Status s = where.unknown_keys(top, {"retention", "temp_files", "runs", "database"}); !s.is_ok()) {
    return s;
  }
  for (auto [key, value] : top) {
    if (key == "$comment") continue;
    object section;
    if (Status s = where.object(value, key, section); !s.is_ok()) return s;
    const run::ConfigSection inner = where.nested(key);
    Status s;
    if (key == "retention") {
      s = load_retention(inner, section, config.retention);
    } else if (key == "temp_files" || key == "runs") {
      const char* setting = key == "runs" ? "max_running_hours" : "max_age_hours";
      if (!(s = inner.unknown_keys(section, {setting})).is_ok()) return s;
      element hours;
      if (!section[setting].get(hours)) {
        s = inner.number_in(hours, setting, 1, 24 * 365,
                            key == "runs" ? config.running_max_age_hours : config.temp_max_age_hours);
      }
    } else {
      s = load_database(inner, section, config.database);
    }
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

}  // namespace haul::cleanup
