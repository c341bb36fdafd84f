#pragma once
// Serializes validation errors the same way in every failed file:
// [{"path":["price"],"code":"too_small","message":"...","expected":"..."}].

#include "io/json_writer.hpp"
#include "schema/validation_error.hpp"

namespace haul::schema {

void write_errors(io::JsonWriter& json, const ValidationErrors& errors);

// "price", "images[2].url": the path as a person reads it in a log line.
std::string path_to_string(const Path& path);

}  // namespace haul::schema
