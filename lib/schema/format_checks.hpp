#pragma once
// The string formats haul asserts (JSON Schema 2020-12 validation §7.3), each
// following the grammar of the RFC the JSON Schema specification names for it.
// They are exact and ASCII-only: a value accepted here is one a strict
// consumer downstream will accept too, and nothing is guessed or repaired.

#include <string_view>

namespace haul::schema {

// RFC 3339 §5.6 full-date: YYYY-MM-DD, with the day checked against the
// month's length in the proleptic Gregorian calendar (leap years included).
bool is_valid_date(std::string_view text);

// RFC 3339 §5.6 date-time: full-date "T" partial-time time-offset, "T" and "Z"
// in either case, any number of fraction digits, offsets within ±23:59. A leap
// second (:60) is accepted only where one can be inserted: 23:59:60 UTC.
bool is_valid_date_time(std::string_view text);

// RFC 5321 §4.1.2 Mailbox: a dot-string or quoted-string local part, "@", and a
// domain name or an address literal ([192.0.2.1], [IPv6:2001:db8::1]), within
// the length limits of §4.5.3.1.
bool is_valid_email(std::string_view text);

// RFC 3986 §3 URI: an absolute URI with a scheme (a relative reference is not
// a URI), with percent-encoding checked, IPv6 and IPvFuture host literals,
// and no character outside the grammar (no spaces, no non-ASCII).
bool is_valid_uri(std::string_view text);

}  // namespace haul::schema
