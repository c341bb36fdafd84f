#pragma once
// UTF-8 helpers. Lengths in haul are counted in Unicode code points, as JSON
// Schema requires (the original pipeline counted UTF-16 units: an emoji was 2).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace haul::utf8 {

// Number of code points in valid UTF-8 text.
std::size_t count_code_points(std::string_view text);

// Byte offset of the first invalid sequence (overlong forms, surrogates and
// values above U+10FFFF are invalid), or nullopt when the text is valid.
std::optional<std::size_t> first_invalid_offset(std::string_view bytes);

// Copy of `bytes` with every invalid sequence replaced by U+FFFD.
std::string sanitize(std::string_view bytes);

// NFKC, case-folded, Unicode whitespace collapsed to one ASCII space and
// trimmed: the form two listing fields are compared in. Invalid input is
// sanitized first.
std::string normalize_for_matching(std::string_view text);

// Lower-case as JavaScript's String.prototype.toLowerCase() does (Unicode's
// full mapping: U+0130 becomes "i\u0307", a final capital sigma "ς"), so
// hashes the original TypeScript pipeline computed can be reproduced.
std::string to_lower_js(std::string_view text);

// The code points of `text` (invalid sequences become U+FFFD), appended to
// `out` after clearing it; reuses its capacity.
void decode(std::string_view text, std::u32string& out);

}  // namespace haul::utf8
