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

}  // namespace haul::utf8
